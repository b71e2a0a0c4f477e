import type { RequestEvent } from '@sveltejs/kit';
import { getTaskRows, toTaskDto } from '$lib/server/api/board-rows-read';
import {
	AbortChange,
	assertRoom,
	boardWriteAccess,
	writeBoard
} from '$lib/server/api/board-writes';
import { idempotent } from '$lib/server/api/idempotency';
import { createdEarlier } from '$lib/server/api/keyed-ids';
import {
	batchProblem,
	createTasksBatchBody,
	maxBatchBodyBytes,
	parseBatch,
	updateTasksBatchBody
} from '$lib/server/api/task-batch-schemas';
import { readJsonValue } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { BatchRefused, createTasks, tasksMap, updateTasks } from '$lib/domain/board';

/** Runs a batch as one change of the live document: one transaction, one log entry. */
function batchChange<T>(run: () => T): T {
	try {
		return run();
	} catch (error) {
		// Nothing was written: every item is checked before the first write.
		if (error instanceof BatchRefused) throw new AbortChange(batchProblem(error.errors));
		throw error;
	}
}

async function answer(event: RequestEvent, boardId: string, ids: string[], status: number) {
	const rows = await getTaskRows(event.locals.ctx.sql, boardId, ids);
	if (rows.length !== ids.length) {
		throw new ApiError(503, 'The tasks were written but are not stored yet.');
	}
	return json({ items: rows.map(toTaskDto) }, { status });
}

const namesAssignee = (items: { assigneeId?: string | null }[], actorId: string) =>
	items.some((item) => typeof item.assigneeId === 'string' && item.assigneeId !== actorId);

/**
 * Creates up to 1,000 tasks at once, all or none; honours `Idempotency-Key`. The rate limiter
 * counts the batch as one request.
 */
export const POST = endpoint(async (event) => {
	const { board, user } = await boardWriteAccess(event, event.params.id!);
	const body = parseBatch(
		createTasksBatchBody,
		await readJsonValue(event.request, maxBatchBodyBytes)
	);
	return idempotent(event, user.id, body, async (keyed) => {
		const ids = await writeBoard(
			event,
			board.id,
			{ pathField: null, loadMembers: namesAssignee(body.items, user.id), ids: keyed },
			(doc, ctx) => {
				const earlier = createdEarlier(keyed, tasksMap(doc), body.items.length);
				if (earlier) return earlier;
				assertRoom(doc, 'tasks', event.locals.ctx.config.boardMaxCards, body.items.length);
				return batchChange(() => createTasks(doc, body.items, ctx));
			}
		);
		return answer(event, board.id, ids, 201);
	});
});

/** Changes and moves up to 1,000 tasks at once, all or none; honours `Idempotency-Key`. */
export const PATCH = endpoint(async (event) => {
	const { board, user } = await boardWriteAccess(event, event.params.id!);
	const body = parseBatch(
		updateTasksBatchBody,
		await readJsonValue(event.request, maxBatchBodyBytes)
	);
	return idempotent(event, user.id, body, async () => {
		await writeBoard(
			event,
			board.id,
			{ pathField: null, loadMembers: namesAssignee(body.items, user.id) },
			(doc, ctx) => batchChange(() => updateTasks(doc, body.items, ctx))
		);
		return answer(
			event,
			board.id,
			body.items.map((item) => item.id),
			200
		);
	});
});
