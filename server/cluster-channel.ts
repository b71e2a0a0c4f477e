/**
 * A message every instance acts on: delivered here at once and, when Redis is configured,
 * published for the other instances (each ignores its own). Used for access revocations,
 * delivered-event announcements and notification signals. Pub/sub is fire-and-forget: every
 * use is either repeated by its source or corrected by the client's next read.
 */
import { Redis } from 'ioredis';
import type { Logger } from '#lib/server/log.ts';

export interface ClusterChannel<T> {
	publish(message: T): void;
	close(): Promise<void>;
}

export async function clusterChannel<T>(options: {
	/** Null: one instance, local delivery only. */
	redisUrl: string | null;
	name: string;
	instanceId: string;
	log: Logger;
	deliver(message: T): void;
}): Promise<ClusterChannel<T>> {
	const { redisUrl, name, instanceId, log, deliver } = options;
	const deliverSafely = (message: T) => {
		try {
			deliver(message);
		} catch (error) {
			log.warn({ err: error, channel: name }, 'a cluster message handler failed');
		}
	};
	if (!redisUrl) {
		return { publish: deliverSafely, close: async () => {} };
	}
	const pub = new Redis(redisUrl);
	const sub = new Redis(redisUrl);
	sub.on('message', (_channel: string, raw: string) => {
		let parsed: { from: string; message: T };
		try {
			parsed = JSON.parse(raw) as { from: string; message: T };
		} catch (error) {
			log.warn({ err: error, channel: name }, 'ignoring a malformed cluster message');
			return;
		}
		if (parsed.from !== instanceId) deliverSafely(parsed.message);
	});
	await sub.subscribe(name);
	return {
		publish(message) {
			deliverSafely(message);
			pub.publish(name, JSON.stringify({ from: instanceId, message })).catch((error: unknown) => {
				log.error({ err: error, channel: name }, 'could not publish to other instances');
			});
		},
		async close() {
			sub.disconnect();
			pub.disconnect();
		}
	};
}
