import { countOf } from '$lib/count-words';

/** "2 cards", "1 column", "3 cards, 1 column": what changed here and is not saved yet. */
export function pendingText(cards: number, columns: number): string {
	const parts: string[] = [];
	if (cards > 0) parts.push(countOf(cards, 'card'));
	if (columns > 0) parts.push(countOf(columns, 'column'));
	return parts.join(', ');
}
