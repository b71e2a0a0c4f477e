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

/**
 * The file name an answer's `Content-Disposition` gives: the exact one from `filename*` (a
 * title as it is), else the ASCII `filename`, else `fallback`.
 */
export function dispositionName(disposition: string | null, fallback: string): string {
	const exact = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
	if (exact) {
		try {
			return decodeURIComponent(exact);
		} catch {
			// Fall through to the plain name.
		}
	}
	return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}
