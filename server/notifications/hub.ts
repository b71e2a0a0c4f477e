/**
 * Live notification signals to every open tab of a user, on whichever instance the tab's
 * stream is connected to: a signal is published on a cluster channel and each instance hands
 * it to its own subscribers.
 */
import type { Logger } from '#lib/server/log.ts';
import type { NotificationHub, NotificationSignal } from '#lib/server/notifications/types.ts';
import { clusterChannel } from '../cluster-channel.ts';

interface Subscriber {
	signal(signal: NotificationSignal): void;
	/** The instance is shutting down: end the stream so the server can close. */
	end(): void;
}

export interface LocalNotificationHub extends NotificationHub {
	/** Open subscriptions on this instance. */
	readonly size: number;
	/** Ends this instance's streams (the http server waits for them); publishing still works. */
	endStreams(): void;
	/** Stops publishing; after the last stores, whose notifications other instances must hear of. */
	close(): Promise<void>;
}

export async function notificationHub(options: {
	redisUrl: string | null;
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
	const endStreams = () => {
		for (const subscriber of [...all]) subscriber.end();
		all.clear();
		byUser.clear();
	};
	return {
		get size() {
			return all.size;
		},
		subscribe(userId, listener, onEnd) {
			const subscriber: Subscriber = { signal: listener, end: onEnd ?? (() => {}) };
			let mine = byUser.get(userId);
			if (!mine) byUser.set(userId, (mine = new Set()));
			mine.add(subscriber);
			all.add(subscriber);
			return () => {
				all.delete(subscriber);
				mine.delete(subscriber);
				if (mine.size === 0) byUser.delete(userId);
			};
		},
		publish: (signal) => channel.publish(signal),
		endStreams,
		async close() {
			endStreams();
			await channel.close();
		}
	};
}
