/**
 * Every Redis connection of an instance, opened in one place so an outage reads as one story in
 * the log. ioredis emits `error` on each failed (re)connection attempt, and a client without an
 * `error` listener prints "[ioredis] Unhandled error event" and a stack trace to stderr for every
 * one: with nine connections retrying every two seconds, an outage buried the structured log
 * under raw traces. Here each connection has a listener, and the instance logs one warning when
 * the first connection is lost and one line when all of them are ready again.
 */
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '#lib/server/log.ts';

export class RedisConnections {
	readonly #url: string;
	readonly #log: Logger;
	readonly #instanceId: string;
	/** Open connections, and those of them not ready now (connecting or lost). */
	readonly #open = new Set<Redis>();
	readonly #down = new Set<Redis>();
	#outage = false;

	constructor(options: { url: string; log: Logger; instanceId: string }) {
		this.#url = options.url;
		this.#log = options.log;
		this.#instanceId = options.instanceId;
	}

	/**
	 * A new connection, named `role:instance` so `CLIENT LIST` shows whose it is. Closing it
	 * (`quit`/`disconnect`) is the caller's; a closed connection stops counting.
	 */
	open(role: string, options: RedisOptions = {}): Redis {
		const client = new Redis(this.#url, {
			connectionName: `${role}:${this.#instanceId}`,
			...options
		});
		this.#open.add(client);
		this.#down.add(client);
		client.on('error', (error: Error) => {
			this.#down.add(client);
			if (this.#outage) return;
			this.#outage = true;
			this.#log.warn(
				{ err: error, connection: role },
				'Redis unreachable; retrying (other instances are not heard meanwhile)'
			);
		});
		client.on('ready', () => {
			this.#down.delete(client);
			if (!this.#outage || this.#down.size > 0) return;
			this.#outage = false;
			this.#log.warn({ connections: this.#open.size }, 'Redis reachable again');
		});
		// Closed by its owner (at shutdown): no longer counted, and no "back" said for it. A
		// connection closed while reconnecting emits no 'end' and stays counted as down; owners
		// close theirs only when the instance stops.
		client.on('end', () => {
			this.#open.delete(client);
			this.#down.delete(client);
		});
		return client;
	}
}
