import { readLabelColors } from '$lib/domain/board';
import { boardAccess } from '$lib/server/api/board-access';
import {
	exportCsv,
	exportDisposition,
	exportJson,
	exportMediaType
} from '$lib/server/api/board-export';
import { exportQuery } from '$lib/server/api/task-schemas';
import { readQuery } from '$lib/server/http/body';
import { endpoint } from '$lib/server/http/endpoint';

/**
 * The board as a download: TaskFlow's JSON export format (docs/export-format.md) or CSV, one
 * row per card, streamed. Anyone who may read the board may export it.
 */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const { format = 'json' } = readQuery(event.url, exportQuery);
	const { sql, collab } = event.locals.ctx;
	// Cards just edited in a browser on this instance are in the rows before they are read.
	await collab.syncRows({ boardId: board.id });
	const source = {
		sql,
		board,
		labelColors: () => collab.readBoard(board.id, readLabelColors),
		onError: (error: unknown) => event.locals.log.error({ err: error }, 'board export failed')
	};
	const csv = format === 'csv';
	return new Response(csv ? exportCsv(source) : exportJson(source), {
		headers: {
			'content-type': csv ? 'text/csv; charset=utf-8' : `${exportMediaType}; charset=utf-8`,
			'content-disposition': exportDisposition(board.title, format),
			'cache-control': 'no-store'
		}
	});
});
