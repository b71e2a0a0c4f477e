/**
 * Hands `blob` to the browser as a download named `name`. The object URL is revoked only after
 * a while: Firefox and Safari read it after the click returns, and revoking it at once cancelled
 * their download.
 */
export function saveBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
