/**
 * Restoring a board version through the API's write path. The order makes a failure leave
 * either the board as it was or the restore complete with its undo:
 *
 * 1. the live board's current state is read and saved as the "Before restoring …" version (the
 *    undo), committed before the board is touched; a failure here changes nothing (503);
 * 2. the difference is applied to the live document as one change by the caller (logged,
 *    broadcast, in the rows, its card events attributed like any edit), only if the board still
 *    is exactly the state that was saved; `board.version_restored` is held with the change's
 *    own events and committed with its write-ahead log row, so the event exists exactly when
 *    the change does. An edit that landed between 1 and 2 makes it read and save again.
 *
 * A change that was refused, or never ran, removes its undo version again (it saved the board
 * as it still is). One whose log row could not be committed is live and kept in memory to be
 * committed with the board's next write, with its undo version saved: 503 saying so.
 */
import type { RequestEvent } from '@sveltejs/kit';
import * as Y from 'yjs';
import type { BoardVersionDto } from '../../api/board-versions.ts';
import { restoreVersion, versionDoc } from '../../domain/board/restore.ts';
import {
	deleteVersion,
	getVersion,
	replaceVersionState,
	saveVersion,
	stateOf,
	toVersionDto,
	type VersionRow
} from '../board-versions.ts';
import { isUuid } from '../boards.ts';
import { buildEvents, requestSource } from '../events/audit.ts';
import { requireUser } from '../http/endpoint.ts';
import { ApiError, notFound } from '../http/problem.ts';
import { writeBoard } from './board-writes.ts';

const maxNameLength = 100;
/** Reads of a board that keeps changing between its read and the restore, before giving up. */
const maxAttempts = 5;

/** "Before restoring …", cut to what a version name holds (in code points, as PostgreSQL counts). */
function undoName(version: { name: string | null; created_at: Date }): string {
	const what =
		version.name === null
			? `the checkpoint of ${version.created_at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
			: `“${version.name}”`;
	return Array.from(`Before restoring ${what}`).slice(0, maxNameLength).join('');
}

/** Storage (PostgreSQL) failed before the board was changed: nothing happened. */
const notSaved = () =>
	new ApiError(
		503,
		'Storage is unavailable right now, so nothing was restored. Try again shortly.'
	);

export async function restoreBoardVersion(
	event: RequestEvent,
	boardId: string,
	versionId: string
): Promise<{ restored: BoardVersionDto; previous: BoardVersionDto }> {
	const { sql, collab, log } = event.locals.ctx;
	const userId = requireUser(event).id;
	const version = isUuid(versionId) ? await getVersion(sql, boardId, versionId) : null;
	if (!version) throw notFound('version');
	const source = requestSource(event);
	const target = versionDoc(version.state);
	let previous: VersionRow | null = null;
	let applied = false;
	try {
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			const before = await collab.readBoard(boardId, (doc) => ({
				...stateOf(doc),
				snapshot: Y.snapshot(doc)
			}));
			try {
				previous = previous
					? await replaceVersionState(sql, previous.id, before)
					: await saveVersion(sql, {
							boardId,
							name: undoName(version),
							undo: true,
							createdBy: userId,
							state: before.state,
							cardCount: before.cardCount
						});
			} catch (error) {
				log.error({ err: error, boardId }, 'could not save the version before a restore');
				throw notSaved();
			}
			const undo = previous;
			let moved = false;
			await writeBoard(
				event,
				boardId,
				{
					pathField: null,
					events: () =>
						applied
							? buildEvents(source, [
									{
										type: 'board.version_restored',
										entityType: 'board',
										entityId: boardId,
										boardId,
										payload: {
											versionId: version.id,
											versionName: version.name,
											versionCreatedAt: version.created_at.toISOString(),
											previousVersionId: undo.id
										}
									}
								])
							: []
				},
				(doc, ctx) => {
					// Edited since it was read: the undo would miss that edit.
					if (!Y.equalSnapshots(Y.snapshot(doc), before.snapshot)) {
						moved = true;
						return;
					}
					restoreVersion(doc, target, ctx);
					// Only now is the board changed (a refusal above, e.g. an unsupported schema, is not).
					applied = true;
				}
			);
			if (!moved) {
				return { restored: toVersionDto(version), previous: toVersionDto(undo) };
			}
		}
		throw new ApiError(
			409,
			'The board kept changing while it was being restored. Try again in a moment.'
		);
	} catch (error) {
		if (applied) {
			// Live, with its undo saved; its log row (and event) commit with the next write.
			log.error({ err: error, boardId }, 'a restore was applied but is not stored yet');
			throw new ApiError(
				503,
				'The version was restored, but the change is not stored yet; it will be shortly.'
			);
		}
		if (previous) {
			const saved = previous;
			await deleteVersion(sql, saved.id).catch((cleanup: unknown) =>
				log.warn({ err: cleanup, versionId: saved.id }, 'could not remove an unused undo version')
			);
		}
		if (error instanceof ApiError) throw error;
		log.error({ err: error, boardId }, 'a restore failed before it changed the board');
		throw notSaved();
	} finally {
		target.destroy();
	}
}
