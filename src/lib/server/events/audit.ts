/**
 * Recording events from the HTTP side (sign-ups, logins, boards, members). Changes queue their
 * events in their own transaction (`changeWithEvents`, `queueEvents`). Sign-ins and sign-outs
 * change only lucia's session rows, outside our transactions: their events are recorded after,
 * and a failure to queue one is logged, never turned into a failed request that did succeed.
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { AppContext } from '../context.ts';
import type { Tx } from '../db/client.ts';
import { clientAddress } from '../http/client-address.ts';
import { newEventId, sessionFingerprint } from './ids.ts';
import type { AuditEvent, EventEntityType, EventMetadata } from './types.ts';

/** Who made a change and from where; the events of one request share it. */
export interface EventSource {
	actorId: string | null;
	metadata: EventMetadata;
	correlationId: string;
}

/** An event before the source, id and time are filled in. */
export interface EventDraft {
	type: AuditEvent['type'];
	entityType: EventEntityType;
	entityId: string | null;
	boardId?: string | null;
	payload?: Record<string, unknown>;
}

/** The request's user (or `actorId`, e.g. a user who just signed in) and where it came from. */
export function requestSource(
	event: RequestEvent,
	actorId: string | null = event.locals.user?.id ?? null,
	sessionId: string | null = event.locals.session?.id ?? null
): EventSource {
	return {
		actorId,
		metadata: {
			userAgent: event.request.headers.get('user-agent')?.slice(0, 512) ?? null,
			ipAddress: clientAddress(event),
			sessionId: sessionFingerprint(sessionId),
			instance: event.locals.ctx.instanceId
		},
		correlationId: event.locals.requestId
	};
}

export function buildEvents(source: EventSource, drafts: readonly EventDraft[]): AuditEvent[] {
	const createdAt = new Date().toISOString();
	return drafts.map((draft) => ({
		id: newEventId(),
		type: draft.type,
		actorId: source.actorId,
		entityId: draft.entityId,
		entityType: draft.entityType,
		boardId: draft.boardId ?? null,
		payload: draft.payload ?? {},
		metadata: source.metadata,
		correlationId: source.correlationId,
		createdAt,
		revision: 1
	}));
}

/** Queues events in the outbox; failures are logged (the change they describe already happened). */
export async function recordEvents(
	ctx: AppContext,
	source: EventSource,
	drafts: readonly EventDraft[]
): Promise<void> {
	if (!ctx.events.enabled || drafts.length === 0) return;
	try {
		await ctx.events.record(buildEvents(source, drafts));
	} catch (error) {
		ctx.log.error(
			{ err: error, types: drafts.map((d) => d.type), correlationId: source.correlationId },
			'could not queue audit events'
		);
	}
}

/**
 * Makes a change and queues the events describing it in one transaction: both commit or
 * neither does, so the log can neither miss a change nor describe one that did not happen.
 * `change` must use only the `tx` it is given (the embedded database has one connection).
 */
export async function changeWithEvents<T>(
	ctx: AppContext,
	source: EventSource,
	change: (tx: Tx) => Promise<{ result: T; events: readonly EventDraft[] }>
): Promise<T> {
	const result = (await ctx.sql.begin(async (tx) => {
		const { result, events } = await change(tx);
		await queueEvents(ctx, tx, source, events);
		return result;
	})) as T;
	ctx.events.wake();
	return result;
}

/**
 * Queues events in a transaction someone else opened (they commit or roll back with it); call
 * `ctx.events.wake()` after it commits.
 */
export async function queueEvents(
	ctx: AppContext,
	tx: Tx,
	source: EventSource,
	drafts: readonly EventDraft[]
): Promise<void> {
	if (ctx.events.enabled && drafts.length > 0) {
		await ctx.events.record(buildEvents(source, drafts), tx);
	}
}

/** `recordEvents` for the request's own user and metadata. */
export function recordRequestEvents(
	event: RequestEvent,
	drafts: readonly EventDraft[],
	source: EventSource = requestSource(event)
): Promise<void> {
	return recordEvents(event.locals.ctx, source, drafts);
}

/** An account event (`user.*`) about `userId`. */
export function userEvent(
	type: EventDraft['type'] & `user.${string}`,
	userId: string | null,
	payload: Record<string, unknown> = {}
): EventDraft {
	return { type, entityType: 'user', entityId: userId, payload };
}

/** A failed sign-in names the address tried and why, never the password. */
export function loginFailedEvent(email: string, reason: 'invalid' | 'throttled'): EventDraft {
	return userEvent('user.login_failed', null, {
		email: email.trim().toLowerCase().slice(0, 254),
		reason
	});
}
