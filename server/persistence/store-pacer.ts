/** How `StorePacer` spaces store starts. */
export interface StorePacerOptions {
	/** Time between two store starts while stores queue up. */
	intervalMs: number;
	/** The longest a store waits, however many queue: a bound on how late compaction can be. */
	maxWaitMs: number;
}

/**
 * Spreads the starts of board stores over time.
 *
 * Hocuspocus stores a board that is edited without a pause `maxDebounce` (10 s) after the first
 * edit since its last store. Boards whose editing began together (loaded together after a
 * restart, or by a load test) are therefore stored together, every 10 s. At 50 such boards that
 * was 50 stores within 0.5–1 s, each projecting rows, capturing events and encoding a
 * snapshot; the event loop stalled 15–20 times for 8–27 ms per burst, the largest part of the
 * seed load's p99 (docs/performance.md, "Tenth pass"). A store that waits its turn only compacts
 * a moment later: with the write-ahead log on, every edit it covers is already logged. Stores
 * that hit the `maxWaitMs` cap start together at it: beyond 50 boards due at once (at 20 ms
 * and 1 s) the burst is only spread in part.
 */
export class StorePacer {
	readonly #options: StorePacerOptions;
	/** performance.now() from which the next store may start. */
	#next = -Infinity;
	#released = false;
	readonly #waiting = new Set<() => void>();

	constructor(options: StorePacerOptions) {
		this.#options = options;
	}

	/** Resolves when a store may start: at once when none started within the interval. */
	turn(): Promise<void> {
		if (this.#released) return Promise.resolve();
		const now = performance.now();
		const at = Math.min(Math.max(now, this.#next), now + this.#options.maxWaitMs);
		this.#next = Math.max(this.#next, at + this.#options.intervalMs);
		if (at <= now) return Promise.resolve();
		return new Promise<void>((resolve) => {
			const go = () => {
				clearTimeout(timer);
				this.#waiting.delete(go);
				resolve();
			};
			const timer = setTimeout(go, at - now);
			this.#waiting.add(go);
		});
	}

	/**
	 * Lets every waiting store start now, and later ones at once: a server shutting down stores
	 * each board before it leaves, and waiting would only delay the exit.
	 */
	release(): void {
		this.#released = true;
		for (const go of [...this.#waiting]) go();
	}
}
