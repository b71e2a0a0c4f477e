/**
 * ETags and `If-Match` for tasks. The ETag is the row's `version`, which every stored change of
 * the row bumps.
 *
 * Atomicity: a conditional write first compares `If-Match` with the row (fast refusal), then,
 * inside the `changeBoard` transaction, compares the live document's state of the task with
 * that same row. The document may be ahead of the row (a browser edit whose rows are not synced
 * yet, or another API write in flight); any difference means the version the client saw
 * is no longer current, so the write is abandoned before touching the document. The check and
 * the write run in one synchronous Yjs transaction, so no other change on this instance can
 * slip between them. (Across instances, updates arriving over Redis after the check are merged
 * as for any concurrent edit.) After a refusal the rows are synced again, so the 412 carries
 * the version the client has to send next.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type * as Y from 'yjs';
import { projectTasks } from '../../domain/board/projection.ts';
import { sameChecklist, storedRows } from '../board-rows.ts';
import { json } from '../http/endpoint.ts';
import { strongMatch, wellFormedTags } from '../http/entity-tags.ts';
import { ApiError, problemResponse } from '../http/problem.ts';
import { AbortChange } from './board-writes.ts';
import { getTaskRow, toTaskDto, type TaskApiRow } from './board-rows-read.ts';

export const etagOf = (version: number) => `"${version}"`;

/**
 * Null when the request has no If-Match; otherwise whether `version` satisfies it (strong).
 * A header that is not a list of entity tags is the client's error (400), not a stale version.
 */
export function ifMatchHolds(event: RequestEvent, version: number): boolean | null {
	const header = event.request.headers.get('if-match');
	if (header === null) return null;
	if (!wellFormedTags(header)) {
		throw new ApiError(400, 'If-Match is not a list of entity tags.', {
			errors: { 'If-Match': 'Send the ETag as given, quotes included (for example "7"), or *.' }
		});
	}
	return strongMatch(header, etagOf(version));
}

export class PreconditionFailed extends ApiError {
	readonly current: TaskApiRow | null;
	constructor(current: TaskApiRow | null) {
		super(412, 'The task changed since you read it; apply your change to the current version.');
		this.current = current;
	}
}

/** The 412 answer: problem+json with the current task and its ETag. */
export function preconditionResponse(event: RequestEvent, current: TaskApiRow | null): Response {
	const headers: Record<string, string> = current ? { etag: etagOf(current.version) } : {};
	return problemResponse(
		412,
		'The task changed since you read it; apply your change to the current version.',
		{
			instance: event.url.pathname,
			headers,
			members: { current: current ? toTaskDto(current) : null }
		}
	);
}

/** A task response with its ETag. */
export function taskResponse(row: TaskApiRow, status = 200, extra: Record<string, string> = {}) {
	return json(toTaskDto(row), { status, headers: { etag: etagOf(row.version), ...extra } });
}

/** True when storing the document now would not change the task's row (same as `syncBoardRows`). */
export function documentMatchesRow(doc: Y.Doc, row: TaskApiRow): boolean {
	const [t] = storedRows({ columns: [], tasks: projectTasks(doc, [row.id]) }).tasks;
	if (!t) return false;
	const sameInstant = (a: string | null, b: string | null) =>
		a === null || b === null ? a === null && b === null : Date.parse(a) === Date.parse(b);
	return (
		row.column_id === t.columnId &&
		row.rank === t.rank &&
		row.title === t.title &&
		row.description === t.description &&
		row.status === t.status &&
		row.priority === t.priority &&
		row.assignee_id === t.assigneeId &&
		row.creator_id === t.creatorId &&
		row.due_date === t.dueDate &&
		row.labels.join('\u0000') === t.labels.join('\u0000') &&
		sameChecklist(row.checklist, t.checklist) &&
		sameInstant(t.deletedAt, row.deleted_at)
	);
}

/**
 * Runs a task write with `If-Match` honoured: `write(guard)` must call `guard(doc)` first
 * inside its change. Returns the row as stored after the write, or a 412 response.
 */
export async function conditionalTaskWrite(
	event: RequestEvent,
	boardId: string,
	taskId: string,
	write: (guard: (doc: Y.Doc) => void) => Promise<void>
): Promise<Response> {
	const { sql } = event.locals.ctx;
	const before = await getTaskRow(sql, boardId, taskId);
	if (!before) throw new ApiError(404, 'No such task.');
	const holds = ifMatchHolds(event, before.version);
	if (holds === false) return preconditionResponse(event, before);
	const guard = (doc: Y.Doc) => {
		if (holds && !documentMatchesRow(doc, before)) {
			throw new AbortChange(new PreconditionFailed(null));
		}
	};
	try {
		await write(guard);
	} catch (error) {
		if (error instanceof PreconditionFailed) {
			// changeBoard synced the rows on its way out, so the row is current now.
			return preconditionResponse(event, await getTaskRow(sql, boardId, taskId));
		}
		throw error;
	}
	const after = await getTaskRow(sql, boardId, taskId);
	if (!after) throw new ApiError(404, 'No such task.');
	return taskResponse(after);
}
