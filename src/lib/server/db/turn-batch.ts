/**
 * Gathers the keys asked for during one turn of the event loop into one query: a read that
 * answers each key, or a write for all of them. A reconnect storm authenticates hundreds of
 * sockets within a few milliseconds, each needing its session and its role on the board, and
 * marking its user active: one statement each was a round trip (and for writes a commit)
 * apiece, thousands in a storm, where one `= any($1)` statement per turn serves them all.
 *
 * The batch runs at `setImmediate`, after the I/O callbacks of the current turn: microtasks run
 * between those callbacks, so a microtask would gather only one socket's lookups. Adds no wait
 * beyond the current turn while no query of this batch is running.
 *
 * A storm's handshakes finish only a few to a turn, so turns alone still made one query per few
 * sockets (about 280 per kind for a thousand). So keys asked for while `maxInFlight` queries
 * (default one) are running wait for one of them to finish and go together in the next: the
 * batch grows with the load instead of the query count, and a key waits for the queries running
 * when it was asked (more only when over `maxKeys` × `maxInFlight` keys wait). A key is only
 * ever answered by a query that started after it was asked for (never by one already running),
 * so an answer is never older than the question: a session ended before its lookup is never
 * reported valid.
 */
export class TurnBatch<K, V> {
	readonly #load: (keys: K[]) => Promise<Map<K, V>>;
	readonly #maxKeys: number;
	readonly #maxInFlight: number;
	#waiting = new Map<K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]>();
	#scheduled = false;
	#inFlight = 0;
	/** Queries run (for tests and diagnostics). */
	queries = 0;

	/**
	 * `load` answers the keys it found; a key it leaves out resolves to undefined. At most
	 * `maxInFlight` queries run at once.
	 */
	constructor(
		load: (keys: K[]) => Promise<Map<K, V>>,
		options: { maxKeys?: number; maxInFlight?: number } = {}
	) {
		this.#load = load;
		this.#maxKeys = options.maxKeys ?? 500;
		this.#maxInFlight = options.maxInFlight ?? 1;
	}

	get(key: K): Promise<V | undefined> {
		return new Promise((resolve, reject) => {
			const waiters = this.#waiting.get(key);
			if (waiters) waiters.push({ resolve, reject });
			else this.#waiting.set(key, [{ resolve, reject }]);
			this.#schedule();
		});
	}

	#schedule(): void {
		if (this.#scheduled || this.#waiting.size === 0 || this.#inFlight >= this.#maxInFlight) return;
		this.#scheduled = true;
		setImmediate(() => this.#run());
	}

	#run(): void {
		this.#scheduled = false;
		const waiting = [...this.#waiting];
		let taken = 0;
		while (taken < waiting.length && this.#inFlight < this.#maxInFlight) {
			void this.#query(waiting.slice(taken, taken + this.#maxKeys));
			taken += this.#maxKeys;
		}
		this.#waiting = new Map(waiting.slice(taken));
	}

	async #query(
		entries: [K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]][]
	): Promise<void> {
		this.queries += 1;
		this.#inFlight += 1;
		try {
			const found = await this.#load(entries.map(([key]) => key));
			for (const [key, waiters] of entries) for (const w of waiters) w.resolve(found.get(key));
		} catch (error) {
			for (const [, waiters] of entries) for (const w of waiters) w.reject(error);
		} finally {
			this.#inFlight -= 1;
			this.#schedule();
		}
	}
}

/**
 * One batch per database client, made on first use: the batches of a lookup for every client
 * (a test's own pool, the app's) stay apart and go with their client.
 */
export function batchPerClient<C extends object, K, V>(
	load: (client: C, keys: K[]) => Promise<Map<K, V>>
): (client: C) => TurnBatch<K, V> {
	const batches = new WeakMap<C, TurnBatch<K, V>>();
	return (client) => {
		let batch = batches.get(client);
		if (!batch) batches.set(client, (batch = new TurnBatch((keys) => load(client, keys))));
		return batch;
	};
}
