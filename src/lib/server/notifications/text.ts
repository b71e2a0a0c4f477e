import type { NotificationKind } from './types.ts';

/** The sentence a notification shows, in the bell and over the API. */
export function notificationText(parts: {
	kind: NotificationKind;
	actorName: string | null;
	taskTitle: string | null;
	boardTitle: string | null;
	/** A system message's title. */
	title: string | null;
	/** A switched-off webhook's target. */
	url?: string | null;
	/** Why the webhook was switched off: `access` when its creator lost the right to manage it. */
	cause?: string | null;
}): string {
	const who = parts.actorName ?? 'Someone';
	const card = `“${parts.taskTitle || 'Untitled card'}”`;
	const where = parts.boardTitle ? ` on ${parts.boardTitle}` : '';
	switch (parts.kind) {
		case 'assigned':
			return `${who} assigned you to ${card}${where}`;
		case 'unassigned':
			return `${who} unassigned you from ${card}${where}`;
		case 'completed':
			return `${who} completed ${card}${where} (a card you created)`;
		case 'due_soon':
			return `${card} is due today${where}`;
		case 'overdue':
			return `${card} is overdue${where}`;
		case 'mentioned':
			return `${who} mentioned you on ${card}${where}`;
		case 'system':
			return parts.title || 'Message from an administrator';
		case 'webhook_disabled':
			return parts.cause === 'access'
				? `A webhook${where} was switched off because whoever registered it lost access: ${parts.url ?? 'its URL'}`
				: `A webhook${where} was switched off after failing for a day: ${parts.url ?? 'its URL'}`;
	}
}
