/** Helpers for audit-event tests: settling a running app and reading what reached the log. */
import postgres from 'postgres';
import type { App } from '../../../server/app.ts';
import type { TestProvider } from './collab.ts';
import { waitFor } from './collab.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every change the providers sent was acknowledged by the server. */
export async function acknowledged(...providers: TestProvider[]): Promise<void> {
	await waitFor(
		() => providers.every((p) => p.provider.unsyncedChanges === 0),
		10_000,
		'acknowledgements'
	);
}

/**
 * Stores every loaded board now (instead of after the debounce) and waits until no event is
 * held in memory or waiting in the outbox: everything recorded so far is in the event log.
 */
export async function settle(app: App, timeoutMs = 30_000): Promise<void> {
	const { collab, eventLog, ctx } = app.runtime;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		collab.hocuspocus.flushPendingStores();
		let held = 0;
		for (const name of collab.hocuspocus.documents.keys()) held += eventLog?.pending(name) ?? 0;
		if (held === 0 && (await ctx.events.outboxDepth()) === 0) return;
		if (Date.now() > deadline) throw new Error(`events still pending after ${timeoutMs} ms`);
		await sleep(25);
	}
}

export interface LoggedEvent {
	id: string;
	type: string;
	actorId: string | null;
	entityId: string | null;
	boardId: string | null;
	payload: any;
	metadata: any;
	correlationId: string;
	createdAt: string;
	revision: number;
	/** Delivery order (the PostgreSQL adapter's `seq`). */
	seq: number;
}

/** Every event of a board in the PostgreSQL event log at `url`, in delivery order. */
export async function loggedEvents(url: string, boardId?: string): Promise<LoggedEvent[]> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const rows = await sql<{ document: Omit<LoggedEvent, 'seq'>; seq: string }[]>`
			select document, seq from event_logs
			where ${boardId ? sql`board_id = ${boardId}` : sql`true`}
			order by seq`;
		return rows.map((r) => ({ ...r.document, seq: Number(r.seq) }));
	} finally {
		await sql.end();
	}
}

/** Type and actor of each event, for compact assertions. */
export function summary(events: readonly LoggedEvent[]): string[] {
	return events.map((e) => `${e.type} by ${e.actorId ?? 'nobody'}`);
}
