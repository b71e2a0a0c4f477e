/**
 * Live notification signals to every open tab of a user, on whichever instance the tab's
 * stream is connected to: a signal is published on a cluster channel and each instance hands
 * it to its own subscribers.
 */
import type { Logger } from '#lib/server/log.ts';
import type { NotificationHub, NotificationSignal } from '#lib/server/notifications/types.ts';
import { clusterChannel } from '../cluster-channel.ts';
import type { RedisConnections } from '../redis-connections.ts';

interface Subscriber {
	userId: string;
	sessionId: string | null;
	signal(signal: NotificationSignal): void;
	/** The instance is shutting down: end the stream so the server can close. */
	end(): void;
}

export interface LocalNotificationHub extends NotificationHub {
	/** Open subscriptions on this instance. */
	readonly size: number;
	/** Ends this instance's streams (the http server waits for them); publishing still works. */
	endStreams(): void;
	/**
	 * Ends the streams of a user (disabled, or their role changed) or of one session (logged out,
	 * token revoked) on this instance; a tab reconnects and is authenticated again.
	 */
	endUser(userId: string): void;
	endSession(sessionId: string): void;
	/** Stops publishing; after the last stores, whose notifications other instances must hear of. */
	close(): Promise<void>;
}

export async function notificationHub(options: {
	redis: RedisConnections | null;
	instanceId: string;
	log: Logger;
}): Promise<LocalNotificationHub> {
	const byUser = new Map<string, Set<Subscriber>>();
	const all = new Set<Subscriber>();
	const channel = await clusterChannel<NotificationSignal>({
		...options,
		name: 'tf:notifications',
		deliver(signal) {
			const targets =
				signal.userIds === '*'
					? all
					: signal.userIds.flatMap((userId) => [...(byUser.get(userId) ?? [])]);
			for (const subscriber of targets) subscriber.signal(signal);
		}
	});
	const remove = (subscriber: Subscriber) => {
		all.delete(subscriber);
		const mine = byUser.get(subscriber.userId);
		mine?.delete(subscriber);
		if (mine?.size === 0) byUser.delete(subscriber.userId);
	};
	const endWhere = (match: (subscriber: Subscriber) => boolean) => {
		for (const subscriber of [...all]) {
			if (!match(subscriber)) continue;
			remove(subscriber);
			subscriber.end();
		}
	};
	const endStreams = () => endWhere(() => true);
	return {
		get size() {
			return all.size;
		},
		subscribe({ userId, sessionId }, listener, onEnd) {
			const subscriber: Subscriber = {
				userId,
				sessionId,
				signal: listener,
				end: onEnd ?? (() => {})
			};
			let mine = byUser.get(userId);
			if (!mine) byUser.set(userId, (mine = new Set()));
			mine.add(subscriber);
			all.add(subscriber);
			return () => remove(subscriber);
		},
		publish: (signal) => channel.publish(signal),
		streamsOf: (userId) => byUser.get(userId)?.size ?? 0,
		endStreams,
		endUser: (userId) => endWhere((s) => s.userId === userId),
		endSession: (sessionId) => endWhere((s) => s.sessionId === sessionId),
		async close() {
			endStreams();
			await channel.close();
		}
	};
}
