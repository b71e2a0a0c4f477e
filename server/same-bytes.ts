/** Whether two byte arrays (or their absence) hold the same bytes. */
export const sameBytes = (a: Uint8Array | null, b: Uint8Array | null): boolean =>
	a === b ||
	(a !== null && b !== null && a.length === b.length && a.every((byte, i) => byte === b[i]));
