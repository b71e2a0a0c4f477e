/**
 * A message every instance acts on: delivered here at once and, when Redis is configured,
 * published for the other instances (each ignores its own). Used for access revocations,
 * delivered-event announcements and notification signals. Pub/sub is fire-and-forget: every
 * use is either repeated by its source or corrected by the client's next read.
 */
import type { Logger } from '#lib/server/log.ts';
import { redisReach } from '#lib/server/redis-reach.ts';
import type { RedisConnections } from './redis-connections.ts';

export interface ClusterChannel<T> {
	publish(message: T): void;
	close(): Promise<void>;
}

export async function clusterChannel<T>(options: {
	/** The instance's Redis connections; null: one instance, local delivery only. */
	redis: RedisConnections | null;
	name: string;
	instanceId: string;
	log: Logger;
	deliver(message: T): void;
	/**
	 * Told false when the subscriber loses Redis (other instances' messages published until
	 * it is back are lost) and true once it is subscribed again.
	 */
	onListening?(listening: boolean): void;
}): Promise<ClusterChannel<T>> {
	const { redis, name, instanceId, log, deliver, onListening } = options;
	const deliverSafely = (message: T) => {
		try {
			deliver(message);
		} catch (error) {
			log.warn({ err: error, channel: name }, 'a cluster message handler failed');
		}
	};
	if (!redis) {
		return { publish: deliverSafely, close: async () => {} };
	}
	const pub = redis.open(`${name}:pub`);
	const sub = redis.open(`${name}:sub`);
	const pubReach = redisReach(pub);
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
	let closing = false;
	// Deaf until subscribed: an instance started while Redis is out of reach runs without it (its
	// users keep nothing meanwhile) instead of failing to start, and hears others once it is back.
	let listening = false;
	let subscribedOnce = false;
	onListening?.(false);
	const heard = (on: boolean) => {
		// A channel being closed is not deaf: no warning, and its users are stopping too.
		if (closing || on === listening) return;
		listening = on;
		// The first subscription is the start, not a return.
		if (subscribedOnce || !on) {
			log.warn(
				{ channel: name },
				on ? 'hearing other instances again' : 'not hearing other instances'
			);
		}
		if (on) subscribedOnce = true;
		onListening?.(on);
	};
	// Only a connection that closes is noticed: a half-open one loses messages unseen, which is
	// why what depends on them also expires on its own (auth/principal-cache.ts).
	sub.on('close', () => heard(false));
	// Subscribed on every connection, the first included, and said so once Redis answers
	// (ioredis resubscribes by itself only what it once subscribed). A refused subscribe leaves
	// the channel deaf until the next reconnection: its users then keep nothing, which costs
	// reads, not correctness.
	sub.on('ready', () => {
		sub.subscribe(name).then(
			() => heard(true),
			(error: unknown) => {
				if (!closing) log.warn({ err: error, channel: name }, 'could not subscribe');
			}
		);
	});
	return {
		publish(message) {
			deliverSafely(message);
			// Fire-and-forget (see above): while Redis is known to be out of reach nothing is queued
			// to be rejected and logged message by message (the outage is logged once by
			// RedisConnections); while it is only connecting, ioredis queues the message.
			if (pubReach.failing) return;
			pub.publish(name, JSON.stringify({ from: instanceId, message })).catch((error: unknown) => {
				log.error({ err: error, channel: name }, 'could not publish to other instances');
			});
		},
		async close() {
			closing = true;
			sub.disconnect();
			pub.disconnect();
		}
	};
}
