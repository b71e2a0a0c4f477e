/**
 * Notifications: what one user is told, why, and the shapes the API returns. Plain data only
 * (these values cross from `server/` into the SvelteKit bundle).
 */
import type { NotificationKind } from '../../api/notifications.ts';

export {
	notificationKinds,
	type BroadcastDto,
	type NotificationDto,
	type NotificationKind,
	type NotificationPageDto
} from '../../api/notifications.ts';

/** A notification before it is stored; recipients who may not see its board are dropped. */
export interface NotificationDraft {
	userId: string;
	kind: NotificationKind;
	boardId: string | null;
	taskId: string | null;
	actorId: string | null;
	/** What the text needs: `taskTitle`, `dueDate`, a system message's `title` and `body`. */
	payload: Record<string, unknown>;
	/** Names the cause for this recipient; the same cause is stored once. */
	dedupeKey: string;
}

/**
 * Pushed to a user's open tabs: something changed, re-read the first page. A hint rather than
 * the notification itself, so one message serves a broadcast to everyone and a tab that missed
 * a message (a reconnect) is corrected by its next read.
 */
export interface NotificationSignal {
	/** Recipients; `*` for everyone (a system message). */
	userIds: readonly string[] | '*';
	reason: 'new' | 'read';
}

/** Live delivery to open tabs, across instances when Redis is configured. */
export interface NotificationHub {
	/**
	 * Returns a function that ends the subscription. `onEnd` is called if the instance shuts
	 * down first (a stream must then close, or the server could not).
	 */
	subscribe(
		who: { userId: string; sessionId: string | null },
		listener: (signal: NotificationSignal) => void,
		onEnd?: () => void
	): () => void;
	publish(signal: NotificationSignal): void;
	/** The user's streams open on this instance. */
	streamsOf(userId: string): number;
}
