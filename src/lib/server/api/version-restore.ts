/**
 * Restoring a board version through the API's write path: the difference is applied to the live
 * document as one change by the caller (logged, broadcast, in the rows, its card events
 * attributed like any edit), the state it replaced is saved as a named version so the restore
 * can be undone, and `board.version_restored` names who restored what.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { BoardVersionDto } from '../../api/board-versions.ts';
import { restoreVersion, versionDoc } from '../../domain/board/restore.ts';
import {
	getVersion,
	saveVersion,
	stateOf,
	toVersionDto,
	type VersionState
} from '../board-versions.ts';
import { isUuid } from '../boards.ts';
import { recordEvents, requestSource } from '../events/audit.ts';
import { requireUser } from '../http/endpoint.ts';
import { notFound } from '../http/problem.ts';
import { writeBoard } from './board-writes.ts';

const maxNameLength = 100;

/** "Before restoring …", cut to what a version name holds (in code points, as PostgreSQL counts). */
function undoName(version: { name: string | null; created_at: Date }): string {
	const what =
		version.name === null
			? `the checkpoint of ${version.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
			: `“${version.name}”`;
	return Array.from(`Before restoring ${what}`).slice(0, maxNameLength).join('');
}

export async function restoreBoardVersion(
	event: RequestEvent,
	boardId: string,
	versionId: string
): Promise<{ restored: BoardVersionDto; previous: BoardVersionDto }> {
	const { sql } = event.locals.ctx;
	const version = isUuid(versionId) ? await getVersion(sql, boardId, versionId) : null;
	if (!version) throw notFound('version');
	const target = versionDoc(version.state);
	let before: VersionState;
	try {
		// The state it replaces is read in the same change, so no edit falls between the two.
		before = await writeBoard(event, boardId, { pathField: null }, (doc, ctx) => {
			const state = stateOf(doc);
			restoreVersion(doc, target, ctx);
			return state;
		});
	} finally {
		target.destroy();
	}
	const previous = await saveVersion(sql, {
		boardId,
		name: undoName(version),
		createdBy: requireUser(event).id,
		...before
	});
	await recordEvents(event.locals.ctx, requestSource(event), [
		{
			type: 'board.version_restored',
			entityType: 'board',
			entityId: boardId,
			boardId,
			payload: {
				versionId: version.id,
				versionName: version.name,
				versionCreatedAt: version.created_at.toISOString(),
				previousVersionId: previous.id
			}
		}
	]);
	return { restored: toVersionDto(version), previous: toVersionDto(previous) };
}
