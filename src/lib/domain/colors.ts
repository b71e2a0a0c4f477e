/**
 * Presence colours: derived from the user id, so every client shows a person in the same colour.
 * Each carries white initials (Avatar.svelte) at 4.5:1 or more, the WCAG AA bar for small text.
 */
export const palette = [
	'#e11d48',
	'#7c3aed',
	'#2563eb',
	'#0e7490',
	'#047857',
	'#a16207',
	'#c2410c',
	'#be185d'
];

export function colorFor(userId: string): string {
	let hash = 0;
	for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}
