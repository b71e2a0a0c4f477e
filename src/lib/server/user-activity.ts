/**
 * Records when users were last active (`users.last_active_at`) without a write per request or
 * per edit: each instance writes a user's time at most once per `everyMs`, and the statement
 * itself skips the row when another instance wrote it within that window. Checking costs one
 * map lookup, so it can sit on the request and edit paths.
 */
import type { Sql } from './db/client.ts';
import { TurnBatch } from './db/turn-batch.ts';
import type { Logger } from './log.ts';

export class UserActivity {
	readonly #sql: Sql;
	readonly #log: Logger;
	readonly #everyMs: number;
	readonly #written = new Map<string, number>();
	/** The users seen in one turn, written in one statement (a reconnect storm sees thousands). */
	readonly #writes: TurnBatch<string, never>;
	/** Seen users waiting for the next gathered write (see `seen`). */
	#seen = new Set<string>();
	#gathering: NodeJS.Timeout | null = null;
	readonly #gatherMs: number;
	#failing = false;
	#closed = false;

	constructor(options: { sql: Sql; log: Logger; everyMs?: number; gatherMs?: number }) {
		this.#sql = options.sql;
		this.#log = options.log;
		this.#everyMs = options.everyMs ?? 5 * 60_000;
		this.#gatherMs = options.gatherMs ?? 1000;
		const seconds = Math.floor(this.#everyMs / 1000);
		this.#writes = new TurnBatch(
			async (ids) => {
				await this.#sql`
					update users set last_active_at = now()
					where id = any(${ids}::uuid[])
						and (last_active_at is null or last_active_at < now() - make_interval(secs => ${seconds}))`;
				return new Map<string, never>();
			},
			// An update can wait on a row lock: a sign-in must not queue behind another user's.
			// (`seen` gathers its writes anyway.)
			{ maxInFlight: Infinity }
		);
	}

	/**
	 * The user did something now; never waits and never throws. The users seen within
	 * `gatherMs` are written together: after a restart every socket's user is new to this
	 * instance, and a reconnect storm of a thousand sockets made a statement per few sockets
	 * (nobody waits for these writes, and the column is not read to the second).
	 */
	seen(userId: string | null | undefined): void {
		if (!userId || this.#closed) return;
		const last = this.#written.get(userId);
		if (last !== undefined && Date.now() - last < this.#everyMs) return;
		this.#seen.add(userId);
		this.#gathering ??= setTimeout(() => void this.flush(), this.#gatherMs).unref();
	}

	/**
	 * At shutdown, before the pool closes: writes the users seen so far, and ignores later signs
	 * of life (a request still finishing), whose gathered write would find the pool closed.
	 */
	async close(): Promise<void> {
		this.#closed = true;
		await this.flush();
	}

	/** Writes the users seen so far now. */
	async flush(): Promise<void> {
		if (this.#gathering) clearTimeout(this.#gathering);
		this.#gathering = null;
		const users = [...this.#seen];
		this.#seen = new Set();
		await Promise.all(users.map((userId) => this.record(userId)));
	}

	/**
	 * Writes the user's time now (unless another instance did within the window) and resolves
	 * when it is stored; never throws. For a sign-in, which should show at once.
	 */
	async record(userId: string): Promise<void> {
		const now = Date.now();
		this.#written.set(userId, now);
		if (this.#written.size > 50_000) this.#sweep(now);
		try {
			await this.#writes.get(userId);
			this.#failing = false;
		} catch (error) {
			// Forget the write so the next sign of life tries again.
			this.#written.delete(userId);
			if (!this.#failing) this.#log.warn({ err: error }, 'recording user activity failed');
			this.#failing = true;
		}
	}

	#sweep(now: number): void {
		for (const [id, at] of this.#written) if (now - at >= this.#everyMs) this.#written.delete(id);
		// Still full (that many users within one window): start over rather than scan it again
		// for every new user. Forgetting costs at most one extra write per user.
		if (this.#written.size > 50_000) this.#written.clear();
	}
}
