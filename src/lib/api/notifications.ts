/**
 * Notifications as the bell and the API show them. Plain data and types only: the server builds
 * them (`$lib/server/notifications`), the browser reads them.
 */
export const notificationKinds = [
	'assigned',
	'unassigned',
	'completed',
	'due_soon',
	'overdue',
	'system',
	'mentioned',
	'webhook_disabled'
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export interface NotificationDto {
	id: string;
	kind: NotificationKind;
	/** One sentence, e.g. "Ana assigned you to “Fix login”". */
	text: string;
	/** A system message's body; null for the others. */
	body: string | null;
	board: { id: string; title: string } | null;
	task: { id: string; title: string } | null;
	actor: { id: string; name: string } | null;
	dueDate: string | null;
	/** Where the notification leads in the app, if anywhere. */
	link: string | null;
	createdAt: string;
	readAt: string | null;
}

/** A system message as sent (`POST /api/v1/admin/broadcasts`). */
export interface BroadcastDto {
	id: string;
	title: string;
	body: string;
	recipients: number;
	createdAt: string;
}

export interface NotificationPageDto {
	items: NotificationDto[];
	nextCursor: string | null;
	unreadCount: number;
}
