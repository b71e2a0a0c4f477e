/**
 * Which board events concern someone other than their actor: an assignment or unassignment
 * (`task.created` with an assignee, `task.updated` of `assigneeId`) and the completion of a card
 * (`task.moved` into a done column) for whoever created it. Pure, so every path that commits
 * events (live stores, crash recovery) derives the same drafts, and the dedupe key (event id,
 * kind, recipient) keeps a second derivation from notifying twice.
 */
import type { AuditEvent } from '../events/types.ts';
import type { NotificationDraft, NotificationKind } from './types.ts';

const str = (value: unknown): string | null =>
	typeof value === 'string' && value.length > 0 ? value : null;

function assigneeChange(event: AuditEvent): { before: string | null; after: string | null } | null {
	if (event.type === 'task.created') return { before: null, after: str(event.payload.assigneeId) };
	if (event.type !== 'task.updated') return null;
	const changes = event.payload.changes as Record<string, { before?: unknown; after?: unknown }>;
	const change = changes?.assigneeId;
	if (!change) return null;
	return { before: str(change.before), after: str(change.after) };
}

export function notificationsFor(events: readonly AuditEvent[]): NotificationDraft[] {
	const drafts: NotificationDraft[] = [];
	for (const event of events) {
		if (event.entityType !== 'task' || !event.boardId || !event.entityId) continue;
		const draft = (kind: NotificationKind, userId: string | null) => {
			// Nobody is told about their own doing.
			if (!userId || userId === event.actorId) return;
			drafts.push({
				userId,
				kind,
				boardId: event.boardId,
				taskId: event.entityId,
				actorId: event.actorId,
				payload: { taskTitle: str(event.payload.title) ?? '' },
				dedupeKey: `event:${event.id}:${kind}`
			});
		};
		const assignee = assigneeChange(event);
		if (assignee && assignee.before !== assignee.after) {
			draft('assigned', assignee.after);
			draft('unassigned', assignee.before);
		}
		if (
			event.type === 'task.moved' &&
			event.payload.toCategory === 'done' &&
			event.payload.fromCategory !== 'done'
		) {
			draft('completed', str(event.payload.creatorId));
		}
	}
	return drafts;
}
