/**
 * Filling a new board's document with another board's current content: its live columns and
 * live cards, in order, under fresh ids. History (deleted cards and columns, who made what and
 * when) stays with the source; the copy's cards are new cards made by the one who copied.
 */
import * as Y from 'yjs';
import { initBoard } from './board.ts';
import { newColumnMap } from './columns.ts';
import { commit, nextId, nowIso, type OpContext } from './context.ts';
import { rankBetween } from './rank.ts';
import type { BoardView } from './read.ts';
import { columnsMap, tasksMap } from './schema.ts';
import { validateTitle } from './validate.ts';

/**
 * Writes `source` into `doc`, a document that was never initialized, titled `title`. Ranks are
 * made afresh (in the source's order), so ties between source ranks cannot reorder the copy
 * once its ids differ. An assignee stays only if `ctx.memberIds` (the copy's members) holds
 * them: the copy is a board of its own, and a card must not name someone who cannot see it.
 * Linear in the size of the board: cards are appended in order, never placed among siblings
 * one by one. (The caller bounds the size: BOARD_MAX_CARDS is server configuration.)
 */
export function copyBoardContent(
	doc: Y.Doc,
	source: BoardView,
	input: { title: string },
	ctx: OpContext
): void {
	// Checked before anything is written, so a refusal leaves the document untouched.
	const title = validateTitle(input.title);
	const createdAt = nowIso(ctx);
	commit(doc, ctx, () => {
		let columnRank: string | null = null;
		for (const column of source.columns) {
			columnRank = rankBetween(columnRank, null);
			const columnId = nextId(ctx);
			columnsMap(doc).set(
				columnId,
				newColumnMap({
					id: columnId,
					title: column.title,
					rank: columnRank,
					category: column.category,
					wipLimit: column.wipLimit
				})
			);
			let cardRank: string | null = null;
			for (const task of column.tasks) {
				cardRank = rankBetween(cardRank, null);
				const id = nextId(ctx);
				const keepAssignee = task.assigneeId !== null && ctx.memberIds?.has(task.assigneeId);
				const map = new Y.Map<unknown>();
				const fields: [string, unknown][] = [
					['id', id],
					['title', task.title],
					['description', new Y.Text(task.description)],
					['placement', { columnId, rank: cardRank }],
					['priority', task.priority],
					['assigneeId', keepAssignee ? task.assigneeId : null],
					['dueDate', task.dueDate],
					['labels', Y.Array.from(task.labels)],
					['createdBy', ctx.actorId],
					['createdAt', createdAt],
					['deletedAt', null]
				];
				for (const [key, value] of fields) map.set(key, value);
				tasksMap(doc).set(id, map);
			}
		}
	});
	// With columns in place, this only writes the title and schema version (no starter columns).
	initBoard(doc, { title }, ctx);
}
