/**
 * What is known about whether a Redis connection can be reached, from its events: the one
 * tracker the rate-limit counters and the cluster channels read. ioredis queues commands while
 * it connects and rejects them only after its retries, so those that can do without Redis ask
 * here first instead of waiting (the outage itself is logged by `RedisConnections`).
 */
import type { Redis } from 'ioredis';

export interface RedisReach {
	/** It failed to connect or reconnect since it was last ready. */
	readonly failing: boolean;
	/**
	 * `failing`, or ready once and not ready now (lost, reconnecting). Before its first
	 * connection nothing is known, and it is not down.
	 */
	readonly down: boolean;
}

export function redisReach(client: Redis): RedisReach {
	let connectedOnce = client.status === 'ready';
	let failing = false;
	client.on('ready', () => {
		connectedOnce = true;
		failing = false;
	});
	client.on('error', () => (failing = true));
	return {
		get failing() {
			return failing;
		},
		get down() {
			return failing || (connectedOnce && client.status !== 'ready');
		}
	};
}
