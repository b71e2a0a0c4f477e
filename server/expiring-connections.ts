/**
 * Open connections whose credential expires at a known time, and one timer for the earliest of
 * them. A credential is checked when a socket connects; without this, a socket opened with a
 * token that expires an hour later kept reading and writing the board for as long as it stayed
 * open. One timer for all (not one per socket): thousands of idle sockets each carry a 30-day
 * session, and a timer per socket is memory the idle-socket budget counts. Work is proportional
 * to the sockets only when one of them is due, which is rare.
 */

/** The longest delay `setTimeout` keeps (about 24.8 days); later expiries are re-armed. */
const maxDelayMs = 2 ** 31 - 1;

export class ExpiringConnections<C> {
	readonly #until = new Map<C, number>();
	readonly #due: (connections: C[]) => void;
	readonly #now: () => number;
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** When the timer fires (Infinity: not armed). */
	#armedFor = Infinity;

	/** `due` receives the connections whose time came, no longer watched. */
	constructor(due: (connections: C[]) => void, now: () => number = Date.now) {
		this.#due = due;
		this.#now = now;
	}

	get size(): number {
		return this.#until.size;
	}

	/** Watches `connection` until `untilMs` (epoch ms), replacing any earlier time it had. */
	watch(connection: C, untilMs: number): void {
		this.#until.set(connection, untilMs);
		if (untilMs < this.#armedFor) this.#arm(untilMs);
	}

	forget(connection: C): void {
		this.#until.delete(connection);
		if (this.#until.size === 0) this.#disarm();
	}

	stop(): void {
		this.#until.clear();
		this.#disarm();
	}

	#arm(at: number): void {
		this.#disarm();
		this.#armedFor = at;
		const delay = Math.min(Math.max(at - this.#now(), 0), maxDelayMs);
		this.#timer = setTimeout(() => this.#fire(), delay);
		this.#timer.unref();
	}

	#disarm(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#armedFor = Infinity;
	}

	#fire(): void {
		this.#timer = null;
		this.#armedFor = Infinity;
		const now = this.#now();
		const due: C[] = [];
		let next = Infinity;
		for (const [connection, until] of this.#until) {
			if (until <= now) due.push(connection);
			else next = Math.min(next, until);
		}
		for (const connection of due) this.#until.delete(connection);
		if (next < Infinity) this.#arm(next);
		if (due.length > 0) this.#due(due);
	}
}
