/**
 * Gathers the keys asked for during one turn of the event loop into one query: a read that
 * answers each key, or a write for all of them. A reconnect storm authenticates hundreds of
 * sockets within a few milliseconds, each needing its session and its role on the board, and
 * marking its user active: one statement each was a round trip (and for writes a commit)
 * apiece, thousands in a storm, where one `= any($1)` statement per turn serves them all.
 *
 * The batch runs at `setImmediate`, after the I/O callbacks of the current turn: microtasks run
 * between those callbacks, so a microtask would gather only one socket's lookups. Adds no wait
 * beyond the current turn.
 */
export class TurnBatch<K, V> {
	readonly #load: (keys: K[]) => Promise<Map<K, V>>;
	readonly #maxKeys: number;
	#waiting = new Map<K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]>();
	#scheduled = false;
	/** Queries run (for tests and diagnostics). */
	queries = 0;

	/** `load` answers the keys it found; a key it leaves out resolves to undefined. */
	constructor(load: (keys: K[]) => Promise<Map<K, V>>, options: { maxKeys?: number } = {}) {
		this.#load = load;
		this.#maxKeys = options.maxKeys ?? 500;
	}

	get(key: K): Promise<V | undefined> {
		return new Promise((resolve, reject) => {
			const waiters = this.#waiting.get(key);
			if (waiters) waiters.push({ resolve, reject });
			else this.#waiting.set(key, [{ resolve, reject }]);
			if (!this.#scheduled) {
				this.#scheduled = true;
				setImmediate(() => this.#run());
			}
		});
	}

	#run(): void {
		this.#scheduled = false;
		const waiting = [...this.#waiting];
		this.#waiting = new Map();
		for (let i = 0; i < waiting.length; i += this.#maxKeys) {
			void this.#query(waiting.slice(i, i + this.#maxKeys));
		}
	}

	async #query(
		entries: [K, { resolve(value: V | undefined): void; reject(error: unknown): void }[]][]
	): Promise<void> {
		this.queries += 1;
		try {
			const found = await this.#load(entries.map(([key]) => key));
			for (const [key, waiters] of entries) for (const w of waiters) w.resolve(found.get(key));
		} catch (error) {
			for (const [, waiters] of entries) for (const w of waiters) w.reject(error);
		}
	}
}
