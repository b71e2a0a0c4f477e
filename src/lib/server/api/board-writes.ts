/**
 * API writes to a board: every change runs the domain operations on the live document through
 * `changeBoard` (actor = the caller), which broadcasts it to open boards and logs it and writes
 * its rows before it resolves. Domain refusals become problem responses here.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type * as Y from 'yjs';
import { DomainError, type DomainErrorCode } from '../../domain/board/errors.ts';
import type { OpContext } from '../../domain/board/context.ts';
import { canEditBoard } from '../../domain/policy.ts';
import { ApiError } from '../http/problem.ts';
import { boardAccessFor, type BoardAccess } from './board-access.ts';
import { requireUser } from '../http/endpoint.ts';
import { memberIds } from './board-rows-read.ts';
import type { BoardChangeOptions } from '../context.ts';
import type { KeyedIds } from './keyed-ids.ts';

/** Raised inside a change to abandon it (nothing written) and answer with `error`. */
export class AbortChange extends Error {
	readonly error: ApiError;
	constructor(error: ApiError) {
		super(error.detail);
		this.name = 'AbortChange';
		this.error = error;
	}
}

/** Refusals about the entity named in the path rather than about a body field. */
const pathCodes: Partial<Record<DomainErrorCode, number>> = {
	unknown_task: 404,
	task_deleted: 409,
	last_column: 409
};

/**
 * `pathField` is the operation's field that the URL names (e.g. `taskId` or `columnId` on
 * `/columns/:columnId`): unknown there is 404, deleted 409; elsewhere a refusal is 422.
 */
export function domainProblem(error: DomainError, pathField: string | null): ApiError {
	const onPath = error.field !== null && error.field === pathField;
	if (onPath && error.code === 'unknown_column') return new ApiError(404, error.message);
	if (onPath && error.code === 'column_deleted') return new ApiError(409, error.message);
	const status = pathCodes[error.code];
	if (status && (onPath || error.code === 'last_column'))
		return new ApiError(status, error.message);
	const field = error.field ?? '_';
	return new ApiError(422, error.message, { errors: { [field]: error.message } });
}

/**
 * Refuses a create (of `adding` entries) that would take the board past its limit (BOARD_MAX_CARDS, …MAX_COLUMNS):
 * the same bound, counted the same way, as the websocket guard (server/board-guard), so the API
 * cannot grow a board the live board would refuse. O(1): the count of the map's keys (`size`
 * would walk every entry).
 */
export function assertRoom(doc: Y.Doc, kind: 'tasks' | 'columns', limit: number, adding = 1): void {
	if ((doc.getMap(kind) as Y.Map<unknown>)._map.size + adding <= limit) return;
	const what = kind === 'tasks' ? 'cards' : 'columns';
	throw new AbortChange(new ApiError(409, `This board holds the most ${what} it may (${limit}).`));
}

export interface WriteOptions {
	pathField: string | null;
	/**
	 * The assignee the change names, if any: the board's members are loaded to check it, unless
	 * it is the caller (who may write to the board, so is a member).
	 */
	assigneeId?: string | null;
	/** Load the board's members anyway (a batch naming assignees). */
	loadMembers?: boolean;
	/** Events recorded with the change (see `BoardChangeOptions`). */
	events?: BoardChangeOptions['events'];
	/** Ids for what the change creates (an `Idempotency-Key` request's keyed ids). */
	ids?: KeyedIds | null;
}

/** Runs `change` on the live document with the caller as actor; returns what it returns. */
export async function writeBoard<T>(
	event: RequestEvent,
	boardId: string,
	options: WriteOptions,
	change: (doc: Y.Doc, ctx: OpContext) => T
): Promise<T> {
	const { sql, collab } = event.locals.ctx;
	const actorId = requireUser(event).id;
	const ctx: OpContext = { actorId };
	if (options.ids) ctx.newId = options.ids.newId;
	const namesOther = typeof options.assigneeId === 'string' && options.assigneeId !== actorId;
	if (namesOther || options.loadMembers) {
		ctx.memberIds = await memberIds(sql, boardId);
	}
	let result: { value: T } | null = null;
	try {
		await collab.changeBoard(
			boardId,
			actorId,
			(doc) => {
				result = { value: change(doc, ctx) };
			},
			{ events: options.events }
		);
	} catch (error) {
		if (error instanceof AbortChange) throw error.error;
		if (error instanceof DomainError) throw domainProblem(error, options.pathField);
		throw error;
	}
	if (!result) throw new Error('the board change did not run');
	return (result as { value: T }).value;
}

/** Archived boards are kept as they were: read-only for everyone, through every interface. */
export const archivedBoard = () =>
	new ApiError(409, 'This board is archived: it can be read but no longer changed.');

/** Board access for a write: editors and owners, on a board that is not archived. */
export async function boardWriteAccess(event: RequestEvent, boardId: string): Promise<BoardAccess> {
	const access = await boardAccessFor(event, boardId, canEditBoard);
	if (access.board.archived_at !== null) {
		throw archivedBoard();
	}
	return access;
}
