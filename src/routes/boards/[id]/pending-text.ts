/** "2 cards", "1 column", "3 cards, 1 column": what changed here and is not saved yet. */
export function pendingText(cards: number, columns: number): string {
	const parts: string[] = [];
	if (cards > 0) parts.push(`${cards} ${cards === 1 ? 'card' : 'cards'}`);
	if (columns > 0) parts.push(`${columns} ${columns === 1 ? 'column' : 'columns'}`);
	return parts.join(', ');
}
