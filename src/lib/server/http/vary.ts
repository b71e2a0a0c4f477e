/** Adds `name` to the response's `Vary` list once; several layers each add the header they read. */
export function appendVary(headers: Headers, name: string): void {
	const current = headers.get('vary');
	if (!current) {
		headers.set('vary', name);
		return;
	}
	const listed = current.split(',').map((part) => part.trim().toLowerCase());
	if (listed.includes('*') || listed.includes(name.toLowerCase())) return;
	headers.set('vary', `${current}, ${name}`);
}
