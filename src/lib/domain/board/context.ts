/**
 * Who performs an operation and the sources of time and identity it uses. Injected rather than
 * global so that tests and simulations are deterministic.
 */
import type * as Y from 'yjs';

/** The caller of a board operation. */
export interface OpContext {
	/** The user performing the operation; recorded as `createdBy` on new cards. */
	actorId: string;
	/** Clock for `createdAt`/`deletedAt`; defaults to the system clock. */
	now?: () => Date;
	/** Id generator for new columns and cards; defaults to random UUIDs. */
	newId?: () => string;
	/** When given, an assignee must be one of these user ids. */
	memberIds?: ReadonlySet<string>;
	/** Passed to `doc.transact` so observers can tell where a change came from. */
	origin?: unknown;
}

export function nowIso(ctx: OpContext): string {
	return (ctx.now ? ctx.now() : new Date()).toISOString();
}

export function nextId(ctx: OpContext): string {
	return ctx.newId ? ctx.newId() : crypto.randomUUID();
}

/** Applies an already validated change as one transaction, so observers see it at once. */
export function commit(doc: Y.Doc, ctx: OpContext, change: () => void): void {
	doc.transact(change, ctx.origin ?? null);
}
