/**
 * Creating a board's document and renaming the board.
 *
 * `initBoard` is meant to run once, where the document is created (the server, when it first
 * loads `board:<id>`). Two replicas initializing the same empty document concurrently would each
 * add the default columns, so clients should never call it on a document they have not synced.
 */
import type * as Y from 'yjs';
import { newColumnMap } from './columns.ts';
import { commit, nextId, type OpContext } from './context.ts';
import { rankBetween } from './rank.ts';
import { boardMap, columnsMap, defaultColumns, schemaVersion } from './schema.ts';
import { assertWritable, validateTitle } from './validate.ts';

/** Input of `initBoard`. */
export interface InitBoardInput {
	title: string;
}

/** Input of `renameBoard`. */
export interface RenameBoardInput {
	title: string;
}

/**
 * Writes the board's title and schema version and, if the document has no columns yet, the
 * default columns. Does nothing when the document already has a schema version.
 */
export function initBoard(doc: Y.Doc, input: InitBoardInput, ctx: OpContext): void {
	const board = boardMap(doc);
	if (board.has('schemaVersion')) return;
	const title = validateTitle(input.title);
	const columns = columnsMap(doc);
	const fresh = columns.size === 0 ? defaultColumns.map((column) => ({ ...column })) : [];
	const made: Parameters<typeof newColumnMap>[0][] = [];
	let rank: string | null = null;
	for (const column of fresh) {
		rank = rankBetween(rank, null);
		made.push({ ...column, id: nextId(ctx), rank });
	}
	commit(doc, ctx, () => {
		board.set('title', title);
		board.set('schemaVersion', schemaVersion);
		for (const column of made) columns.set(column.id, newColumnMap(column));
	});
}

/** Renames the board. */
export function renameBoard(doc: Y.Doc, input: RenameBoardInput, ctx: OpContext): void {
	const title = validateTitle(input.title);
	assertWritable(doc);
	const board = boardMap(doc);
	if (board.get('title') === title) return;
	commit(doc, ctx, () => board.set('title', title));
}
