/**
 * The audit event log: what an event is, how it is queried, and the port its stores implement.
 * Plain data only, because these values cross from `server/` into the SvelteKit bundle, which
 * carries its own copy of this module (`instanceof` would fail across that boundary).
 */
import type { AuditEventType } from '../../api/audit.ts';
import type { Tx } from '../db/client.ts';

/** Where a change came from. Unknown parts are null (for example events replayed after a crash). */
export interface EventMetadata {
	userAgent: string | null;
	ipAddress: string | null;
	sessionId: string | null;
	/** The instance that recorded the event. */
	instance: string;
}

export type EventEntityType =
	'task' | 'column' | 'board' | 'member' | 'user' | 'broadcast' | 'token' | 'comment';

/** One domain event, in the seed's document shape (MongoDB stores `id` as `_id`). */
export interface AuditEvent {
	/** A uuid; events derived from the write-ahead log get the same id every time they are derived. */
	id: string;
	/** `task.created`, `member.added`, `user.logged_in`, …: one of the list the audit log offers. */
	type: AuditEventType;
	/** The authenticated user who made the change; null only when nobody is known (a failed login). */
	actorId: string | null;
	entityId: string | null;
	entityType: EventEntityType;
	boardId: string | null;
	/** For updates: `changes` with `before` and `after` per field. */
	payload: Record<string, unknown>;
	metadata: EventMetadata;
	/** Shared by the events one transaction or one request produced. */
	correlationId: string;
	/** ISO 8601 with milliseconds. */
	createdAt: string;
	/**
	 * Grows when a coalesced event (a burst of typing) absorbs more edits after it was first
	 * delivered; a store keeps the highest revision of each id.
	 */
	revision: number;
}

/** Filters are combined with AND; results are newest first. */
export interface EventQuery {
	boardId?: string;
	entityId?: string;
	actorId?: string;
	type?: string;
	/** Inclusive lower bound on `createdAt` (ISO). */
	from?: string;
	/** Exclusive upper bound on `createdAt` (ISO). */
	to?: string;
	/** `nextCursor` of the previous page. */
	cursor?: string | null;
	limit: number;
}

export interface EventPage {
	items: AuditEvent[];
	/** Null on the last page. */
	nextCursor: string | null;
}

/** A store for audit events (MongoDB or PostgreSQL). */
export interface EventLog {
	readonly kind: 'postgres' | 'mongodb';
	/** Where it points, without credentials, for log lines. */
	readonly describe: string;
	/** Connects and creates what the store needs (table, indexes); safe to call again. */
	prepare(): Promise<void>;
	/** Idempotent by event id: redelivery stores nothing new unless its revision is higher. */
	append(events: readonly AuditEvent[]): Promise<void>;
	query(query: EventQuery): Promise<EventPage>;
	/**
	 * Deletes up to `limit` of the oldest events created before `cutoff` and says how many it
	 * deleted (retention; fewer than `limit` means none are left).
	 */
	deleteBefore(cutoff: Date, limit: number): Promise<number>;
	/** True when the store expires old events by itself (a MongoDB TTL index): no pruning job. */
	readonly expiresOnItsOwn: boolean;
	ping(): Promise<void>;
	close(): Promise<void>;
}

/** What the HTTP side may ask of the event log (on `AppContext`). */
export interface EventService {
	/** False when EVENT_LOG=off: nothing is recorded. */
	readonly enabled: boolean;
	/**
	 * Commits events to the durable outbox; the relay delivers them to the event log. With `tx`
	 * they are queued in that transaction (committed or rolled back with the change they
	 * describe); call `wake` after it commits.
	 */
	record(events: readonly AuditEvent[], tx?: Tx): Promise<void>;
	/** Tells the relay that events were committed. */
	wake(): void;
	query(query: EventQuery): Promise<EventPage>;
	/** Events committed but not yet delivered to the event log. */
	outboxDepth(): Promise<number>;
}
