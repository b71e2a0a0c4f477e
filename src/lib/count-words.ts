/** "1 card", "2 cards": a count with its noun in the right number (English plurals). */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
	return `${count} ${count === 1 ? singular : plural}`;
}
