import { boardAccess } from '$lib/server/api/board-access';
import { getVersion, toVersionDto } from '$lib/server/board-versions';
import { isUuid } from '$lib/server/boards';
import { endpoint, json } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import { readBoard, versionDoc } from '$lib/domain/board';

/** A read-only preview of one version: the board as it read then. */
export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	const versionId = event.params.versionId!;
	const row = isUuid(versionId)
		? await getVersion(event.locals.ctx.sql, board.id, versionId)
		: null;
	if (!row) throw notFound('version');
	const doc = versionDoc(row.state);
	try {
		const { columns, deletedTasks, labelColors } = readBoard(doc);
		return json({
			version: toVersionDto(row),
			board: { columns, deletedTasks, labelColors }
		});
	} finally {
		doc.destroy();
	}
});
