/** Counters and samples a load run collects, shared by all its clients. */
import { percentile } from './stats.ts';

/** A growable list of numbers with percentiles; adding allocates only when it doubles. */
export class Samples {
	#data = new Float64Array(1024);
	length = 0;

	add(value: number): void {
		if (this.length === this.#data.length) {
			const next = new Float64Array(this.#data.length * 2);
			next.set(this.#data);
			this.#data = next;
		}
		this.#data[this.length++] = value;
	}

	summary(): Summary {
		const sorted = this.#data.slice(0, this.length).sort();
		return {
			n: sorted.length,
			p50: percentile(sorted, 50),
			p95: percentile(sorted, 95),
			p99: percentile(sorted, 99),
			max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!
		};
	}
}

export interface Summary {
	n: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

/** What every client of one run reports into. */
export class RunStats {
	/** Edit sent by one thin client -> seen by another thin client of the board (ms). */
	readonly latency = new Samples();
	/** Edit sent -> applied in the board's full provider (ms). */
	readonly providerLatency = new Samples();
	/** Edit sent -> the server's SyncStatus acknowledgement to the sender (ms). */
	readonly ack = new Samples();
	/** How late the scheduler sent edits (ms); large values mean the generator fell behind. */
	readonly sendLag = new Samples();
	sent = 0;
	/** Deliveries owed to other thin clients, counted when each edit is sent. */
	expected = 0;
	delivered = 0;
	bytesIn = 0;
	/** Websocket frames the thin clients received (broadcasts coalesce several edits into one). */
	framesIn = 0;
	readonly errors = new Map<string, number>();
	/** Per client index: when each of its prepared edits (by sequence number) was sent. */
	readonly sendLog: ({ first: number; times: Float64Array } | undefined)[] = [];

	/** When `sender` sent edit `seq` in this run, or NaN if it did not. */
	sentAt(sender: number, seq: number): number {
		const log = this.sendLog[sender];
		if (!log || seq < log.first || seq >= log.first + log.times.length) return NaN;
		return log.times[seq - log.first] || NaN;
	}

	error(kind: string): void {
		this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
	}

	errorCount(): number {
		let total = 0;
		for (const n of this.errors.values()) total += n;
		return total;
	}

	describeErrors(): string {
		if (this.errors.size === 0) return '0';
		return [...this.errors].map(([kind, n]) => `${kind} ${n}`).join(', ');
	}
}
