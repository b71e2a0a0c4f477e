/**
 * How a board page fetches the stored document before it goes live (the route in
 * `src/routes/boards/[id]/document/+server.ts` answers, `BoardState` asks). One definition for
 * both ends.
 */

/** The path of a board's stored document: one binary Yjs update (V1), empty if never stored. */
export function boardDocumentPath(boardId: string): string {
	return `/boards/${encodeURIComponent(boardId)}/document`;
}

/**
 * Its media type: our own, so that compressing it says nothing about other binary answers
 * (generic `application/octet-stream` stays uncompressed). Compressible: a Yjs update repeats
 * client ids, keys and field names for every card; brotli shrinks one of 2.3 MB seven times.
 */
export const yjsUpdateType = 'application/vnd.taskflow.yjs-update';
