/**
 * A background loop's pause between rounds that new work can cut short: `wake()` ends the
 * current sleep, or the next one at once if none is running (work queued between two checks
 * is never slept through).
 */
export class WakeableSleep {
	#woken = false;
	#wakeUp: (() => void) | null = null;

	wake(): void {
		this.#woken = true;
		this.#wakeUp?.();
	}

	sleep(ms: number): Promise<void> {
		if (this.#woken || ms === 0) {
			this.#woken = false;
			return Promise.resolve();
		}
		return new Promise((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.#wakeUp = null;
				this.#woken = false;
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.#wakeUp = done;
		});
	}
}
