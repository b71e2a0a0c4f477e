/** Presence colours: derived from the user id, so every client shows a person in the same colour. */
const palette = [
	'#e11d48',
	'#7c3aed',
	'#2563eb',
	'#0891b2',
	'#059669',
	'#ca8a04',
	'#ea580c',
	'#db2777'
];

export function colorFor(userId: string): string {
	let hash = 0;
	for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}
