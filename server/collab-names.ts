const boardDocument = /^board:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The board id in a document name `board:<uuid>`, or null for any other name. */
export function parseBoardDocumentName(name: string): string | null {
	return boardDocument.exec(name)?.[1] ?? null;
}

export function boardDocumentName(boardId: string): string {
	return `board:${boardId}`;
}
