import { boardAccess } from '$lib/server/api/board-access';
import { loadBoardUpdate } from '$lib/server/board-documents';
import { endpoint } from '$lib/server/http/endpoint';
import { yjsUpdateType } from '$lib/collab-protocol/document-transfer';
import type { RequestHandler } from './$types';

/**
 * The stored document (snapshot merged with the log) as one binary Yjs update, which the board
 * page fetches to seed its Y.Doc before it opens the live connection; the page data carries only
 * a first-screen preview. Same access rule as the page: 401 without a session, 404 for a board
 * the caller may not read (as for one that does not exist).
 *
 * V1, the format the snapshot and log are stored in, rather than V2: at 5,000 cards V1 is
 * 2.3 MB and brotli (quality 4, compression.ts) sends 325 KB in 15–22 ms of CPU, while V2 would
 * send 174 KB but needs a 63 ms conversion first — three times the CPU on every open of a big
 * board, on a server whose cores every board shares, to save 150 KB once per page open for
 * one client (whose apply V2 speeds up by only 20 ms of ~100).
 */
export const GET: RequestHandler = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const update = await loadBoardUpdate(event.locals.ctx.sql, board.id);
	// A board never stored has no update: an empty body, which the browser skips.
	const body = update ? new Uint8Array(update) : new Uint8Array(0);
	return new Response(body, {
		headers: {
			'content-type': yjsUpdateType,
			'content-length': String(body.byteLength),
			// The document changes with every edit and the live connection brings what follows.
			'cache-control': 'private, no-store'
		}
	});
});
