/**
 * Activity entries for people, from the exact event log. The server coalesces one person's
 * typing into one `task.updated` only while nobody else touches the card (the log stays exact
 * for integrators: who changed what, in order). Two people typing in one description for a
 * second and a half therefore log some 30 alternating events; a reader wants two lines, one per
 * person. So the feed groups, at read time, each person's edits of one card that follow each
 * other within `idleMs`, whatever others did in between. One pass over the page, a map lookup
 * per event.
 */

/** The event fields grouping reads (the API's `EventDto` has them). */
export interface GroupableEvent {
	id: string;
	type: string;
	actorId: string | null;
	entityId: string | null;
	payload: Record<string, unknown>;
	createdAt: string;
}

/** One line of the feed: one event, or one person's burst of edits to one card. */
export interface ActivityEntry<E extends GroupableEvent> {
	/** For a burst: its newest event, with the changes merged from first `before` to last `after`. */
	event: E;
	/** The grouped events' ids, newest first (one for a single event). */
	ids: string[];
}

/** A person's edits of one card more than this apart are separate entries. */
export const burstIdleMs = 60_000;

type Changes = Record<string, { before?: unknown; after?: unknown }>;

function changesOf(event: GroupableEvent): Changes {
	const changes = event.payload.changes;
	return typeof changes === 'object' && changes !== null && !Array.isArray(changes)
		? (changes as Changes)
		: {};
}

/**
 * Groups a newest-first list of events. A burst ends at a gap over `idleMs` between the
 * person's edits of the card, or at anything else the person did to it (moving, deleting).
 */
export function groupActivity<E extends GroupableEvent>(
	events: readonly E[],
	idleMs = burstIdleMs
): ActivityEntry<E>[] {
	const entries: ActivityEntry<E>[] = [];
	const open = new Map<string, { entry: ActivityEntry<E>; oldestAt: number; changes: Changes }>();
	for (const event of events) {
		const key = event.actorId && event.entityId ? `${event.actorId}\u001f${event.entityId}` : null;
		const at = Date.parse(event.createdAt);
		if (key === null || event.type !== 'task.updated') {
			if (key !== null) open.delete(key);
			entries.push({ event, ids: [event.id] });
			continue;
		}
		const burst = open.get(key);
		if (burst && burst.oldestAt - at <= idleMs) {
			// Older than everything in the burst: its `before` values are the burst's.
			for (const [field, change] of Object.entries(changesOf(event))) {
				const merged = burst.changes[field];
				burst.changes[field] = merged ? { before: change.before, after: merged.after } : change;
			}
			burst.entry.ids.push(event.id);
			burst.oldestAt = at;
			continue;
		}
		const changes = { ...changesOf(event) };
		const entry: ActivityEntry<E> = {
			event: { ...event, payload: { ...event.payload, changes } },
			ids: [event.id]
		};
		open.set(key, { entry, oldestAt: at, changes });
		entries.push(entry);
	}
	return entries;
}
