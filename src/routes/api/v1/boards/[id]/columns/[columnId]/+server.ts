import { boardAccess } from '$lib/server/api/board-access';
import { getColumn } from '$lib/server/api/board-rows-read';
import { boardWriteAccess, writeBoard } from '$lib/server/api/board-writes';
import { deleteColumnQuery, updateColumnBody } from '$lib/server/api/task-schemas';
import { isUuid } from '$lib/server/boards';
import { readJson, readQuery } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { notFound } from '$lib/server/http/problem';
import {
	deleteColumn,
	moveColumn,
	renameColumn,
	setColumnCategory,
	setWipLimit
} from '$lib/domain/board';
import { validateCategory, validateTitle, validateWipLimit } from '$lib/domain/board/validate';
import type { RequestEvent } from '@sveltejs/kit';

function columnId(event: RequestEvent): string {
	const id = event.params.columnId!;
	if (!isUuid(id)) throw notFound('column');
	return id;
}

async function storedColumn(event: RequestEvent, boardId: string, id: string) {
	await event.locals.ctx.collab.syncRows({ boardId });
	const column = await getColumn(event.locals.ctx.sql, boardId, id);
	if (!column) throw notFound('column');
	return json(column);
}

export const GET = endpoint(async (event) => {
	const { board } = await boardAccess(event, event.params.id!);
	return storedColumn(event, board.id, columnId(event));
});

/**
 * Changes title, category and WIP limit, and moves the column when `beforeColumnId` or
 * `afterColumnId` is sent. All of it is checked before anything is written.
 */
export const PATCH = endpoint(async (event) => {
	const { board } = await boardWriteAccess(event, event.params.id!);
	const id = columnId(event);
	const body = await readJson(event.request, updateColumnBody);
	await writeBoard(event, board.id, { pathField: 'columnId' }, (doc, ctx) => {
		if (body.title !== undefined) validateTitle(body.title);
		if (body.category !== undefined) validateCategory(body.category);
		if (body.wipLimit !== undefined) validateWipLimit(body.wipLimit);
		if ('beforeColumnId' in body || 'afterColumnId' in body) {
			const { beforeColumnId, afterColumnId } = body;
			moveColumn(doc, { columnId: id, beforeColumnId, afterColumnId }, ctx);
		}
		if (body.title !== undefined) renameColumn(doc, { columnId: id, title: body.title }, ctx);
		if (body.category !== undefined) {
			setColumnCategory(doc, { columnId: id, category: body.category }, ctx);
		}
		if (body.wipLimit !== undefined) {
			setWipLimit(doc, { columnId: id, wipLimit: body.wipLimit }, ctx);
		}
	});
	return storedColumn(event, board.id, id);
});

/**
 * Soft-deletes the column; its live tasks move to `?moveTasksTo=<columnId>` (appended in
 * order) or are deleted with it. Answers with the column as stored.
 */
export const DELETE = endpoint(async (event) => {
	const { board } = await boardWriteAccess(event, event.params.id!);
	const id = columnId(event);
	const { moveTasksTo } = readQuery(event.url, deleteColumnQuery);
	await writeBoard(event, board.id, { pathField: 'columnId' }, (doc, ctx) =>
		deleteColumn(doc, { columnId: id, moveTasksTo: moveTasksTo ?? null }, ctx)
	);
	return storedColumn(event, board.id, id);
});
