/**
 * The services one running instance holds (database pool, auth, collaboration control).
 * `server/` builds it once at startup; SvelteKit code reaches it through `appContext()`.
 * It travels in AsyncLocalStorage rather than a module singleton because the built SvelteKit
 * bundle carries its own copies of these modules, and tests may run two instances in one process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as Y from 'yjs';
import type { AuthService } from './auth/service.ts';
import type { CounterStore } from './auth/counters.ts';
import type { Config } from './config.ts';
import type { Sql } from './db/client.ts';
import type { AuditEvent, EventService } from './events/types.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { SystemMonitor } from './system/monitor.ts';
import type { NotificationHub } from './notifications/types.ts';
import type { UserActivity } from './user-activity.ts';

/** What the HTTP side may ask of the collaboration server. */
export interface BoardChangeOptions {
	/**
	 * Events the change stands for beyond those derived from the document (e.g.
	 * `board.version_restored`), read once the change has run without a refusal: they are held
	 * with its derived events and committed to the outbox with its write-ahead log row, so they
	 * are recorded exactly when the change is (nothing when the event log is off).
	 */
	events?: () => readonly AuditEvent[];
}

export interface CollabControl {
	/** Closes live connections of a user: to one board, or all of them. */
	disconnectUser(userId: string, boardId?: string): void;
	/** Closes every live connection to a board (e.g. archived: reconnecting makes it read-only). */
	disconnectBoard(boardId: string): void;
	/**
	 * Changes a board's document on the server (a direct connection: the same domain
	 * operations the browser uses), broadcast to everyone on it; when this resolves the change
	 * is in the write-ahead log and in the `tasks`/`board_columns` rows (the snapshot follows on
	 * the store debounce).
	 */
	changeBoard(
		boardId: string,
		actorId: string,
		change: (doc: Y.Doc) => void,
		options?: BoardChangeOptions
	): Promise<void>;
	/**
	 * Reads a board's live document (loading it if no one has it open); `read` must not change
	 * it, and runs with no await, so it sees one state of the board.
	 */
	readBoard<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T>;
	/**
	 * Brings the rows of boards loaded on this instance up to date with their documents before a
	 * read: one board, the boards holding a card, or (`all`, for reads over many boards, best
	 * effort and never rejecting) the boards with changes that no other write holds, in one
	 * batch. Free when they are current or not loaded here (then an instance holding the board
	 * syncs them within `ROW_SYNC_MS` of an edit).
	 */
	syncRows(target: { boardId: string } | { taskId: string } | { all: true }): Promise<void>;
	/** Closes live connections that were authenticated with a given session. */
	disconnectSession(sessionId: string): void;
	connectionCount(): number;
}

export interface ReadinessCheck {
	name: string;
	/** Throws when down; may return details to show (e.g. the event outbox depth). */
	check(): Promise<void | Record<string, unknown>>;
	/** Down is reported but does not make the instance unready (a delay, not an outage). */
	optional?: boolean;
}

export interface AppContext {
	config: Config;
	log: Logger;
	sql: Sql;
	auth: AuthService;
	counters: CounterStore;
	collab: CollabControl;
	readiness: ReadinessCheck[];
	/** Audit events: the outbox to record into and the event log to read from. */
	events: EventService;
	/** Stable name of this process among instances, for logs and events. */
	instanceId: string;
	/** Live notification signals to users' open tabs (every instance). */
	notifications: NotificationHub;
	/** This instance's Prometheus metrics; null when METRICS_TOKEN and METRICS_PORT are unset. */
	metrics: Metrics | null;
	/** Records when users were last active (daily/weekly active users, admin pages). */
	activity: UserActivity;
	/** This instance's minute ring and the cluster's heartbeats, for the admin System tab. */
	system: SystemMonitor;
	/**
	 * Sends queued webhook deliveries; `wake` makes it look now rather than at its next poll
	 * (only this instance's: another instance's dispatcher finds the work within a second).
	 * Null when the event log is off.
	 */
	webhooks: { wake(): void } | null;
}

const key = Symbol.for('taskflow.context');
type Holder = { [key]?: AsyncLocalStorage<AppContext> };

function storage(): AsyncLocalStorage<AppContext> {
	const holder = globalThis as Holder;
	holder[key] ??= new AsyncLocalStorage<AppContext>();
	return holder[key];
}

export function runWithContext<T>(context: AppContext, fn: () => T): T {
	return storage().run(context, fn);
}

export function appContext(): AppContext {
	const context = storage().getStore();
	if (!context)
		throw new Error('No TaskFlow context: the request did not come through server/app.ts');
	return context;
}
