/**
 * The order to replay write-ahead log rows in: every row after the rows holding what it builds
 * on, and by id wherever that leaves a choice.
 *
 * Ids alone are not causal order. An API write takes its id before its change runs, so two
 * concurrent writes can hold ids in the opposite order of their changes (which share the
 * server's Yjs client, whose clocks must arrive in order); rows of different instances
 * interleave the same way. Replayed by id, a row that builds on a later one waits in Yjs's
 * pending structs and takes effect inside that later row's transaction, so its events would be
 * derived under the other row's id and actor: a duplicate of the events already committed.
 */
import * as Y from 'yjs';

/** Clocks `[start, end)` of one client, held by row `row`. */
interface Span {
	start: number;
	end: number;
	row: number;
}

interface Decoded {
	/** Clock ranges the row holds, per client. */
	spans: { client: number; start: number; end: number }[];
	/** Ids the row needs: its structs' predecessors, origins and parents, what it deletes. */
	needs: { client: number; start: number; end: number }[];
}

function decode(update: Uint8Array): Decoded {
	const decoded: Decoded = { spans: [], needs: [] };
	let structs: ReturnType<typeof Y.decodeUpdate>;
	try {
		structs = Y.decodeUpdate(update);
	} catch {
		// A row that does not decode is skipped when applied too; it orders by its id.
		return decoded;
	}
	const need = (id: { client: number; clock: number } | null | undefined) => {
		if (id) decoded.needs.push({ client: id.client, start: id.clock, end: id.clock + 1 });
	};
	for (const struct of structs.structs) {
		if (struct instanceof Y.Skip) continue;
		const { client, clock } = struct.id;
		decoded.spans.push({ client, start: clock, end: clock + struct.length });
		if (clock > 0) need({ client, clock: clock - 1 });
		if (struct instanceof Y.Item) {
			need(struct.origin);
			need(struct.rightOrigin);
			if (struct.parent && typeof struct.parent === 'object' && 'client' in struct.parent) {
				need(struct.parent as unknown as { client: number; clock: number });
			}
		}
	}
	for (const [client, deletions] of structs.ds.clients) {
		for (const { clock, len } of deletions) {
			decoded.needs.push({ client, start: clock, end: clock + len });
		}
	}
	return decoded;
}

/**
 * Per client, its clocks cut into disjoint spans sorted by clock, each naming one row that holds
 * them. A row needing a clock waits for that one row only: any row holding it will do, and rows
 * that overlap (a resent update is logged again) would otherwise make every lookup walk them all.
 * Neighbouring structs of one row merge into one span, so a 6,000-card row is a few spans.
 */
function clockOwners(decoded: readonly Decoded[]): Map<number, Span[]> {
	const byClient = new Map<number, Span[]>();
	decoded.forEach((d, row) => {
		for (const { client, start, end } of d.spans) {
			let list = byClient.get(client);
			if (!list) byClient.set(client, (list = []));
			const last = list.at(-1);
			if (last && last.row === row && last.end === start) last.end = end;
			else list.push({ start, end, row });
		}
	});
	const owners = new Map<number, Span[]>();
	for (const [client, spans] of byClient) {
		spans.sort((a, b) => a.start - b.start || a.row - b.row);
		const owned: Span[] = [];
		let covered = -Infinity;
		for (const span of spans) {
			if (span.end <= covered) continue;
			const start = Math.max(span.start, covered);
			const last = owned.at(-1);
			if (last && last.row === span.row && last.end === start) last.end = span.end;
			else owned.push({ start, end: span.end, row: span.row });
			covered = span.end;
		}
		owners.set(client, owned);
	}
	return owners;
}

/** Index of the first of the disjoint, sorted `spans` that ends after `clock`. */
function firstEndingAfter(spans: readonly Span[], clock: number): number {
	let low = 0;
	let high = spans.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (spans[middle]!.end > clock) high = middle;
		else low = middle + 1;
	}
	return low;
}

/** A binary min-heap of row indexes: the next row to replay is the oldest that is ready. */
class Ready {
	readonly #items: number[] = [];

	get size(): number {
		return this.#items.length;
	}

	push(value: number): void {
		const items = this.#items;
		items.push(value);
		for (let i = items.length - 1; i > 0;) {
			const parent = (i - 1) >> 1;
			if (items[parent]! <= value) break;
			items[i] = items[parent]!;
			items[parent] = value;
			i = parent;
		}
	}

	pop(): number {
		const items = this.#items;
		const top = items[0]!;
		const last = items.pop()!;
		if (items.length > 0) {
			items[0] = last;
			for (let i = 0; ;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let smallest = i;
				if (left < items.length && items[left]! < items[smallest]!) smallest = left;
				if (right < items.length && items[right]! < items[smallest]!) smallest = right;
				if (smallest === i) break;
				[items[i], items[smallest]] = [items[smallest]!, items[i]!];
				i = smallest;
			}
		}
		return top;
	}
}

/**
 * `rows` in an order that applies each one completely, given `present` (the state vector of the
 * document they are replayed into: client -> clocks it already has). `rows` must be in id order;
 * rows that are unrelated keep it. Malformed rows never make this throw.
 */
export function replayOrder<T extends { update: Uint8Array }>(
	rows: readonly T[],
	present: Map<number, number>
): T[] {
	const decoded = rows.map((row) => decode(row.update));
	const holders = clockOwners(decoded);
	const dependents = rows.map(() => new Set<number>());
	const waitingOn = rows.map(() => 0);
	decoded.forEach((d, row) => {
		const providers = new Set<number>();
		for (const { client, start, end } of d.needs) {
			// What the document already holds needs no row.
			const from = Math.max(start, present.get(client) ?? 0);
			if (from >= end) continue;
			const owned = holders.get(client);
			if (!owned) continue;
			for (let i = firstEndingAfter(owned, from); i < owned.length; i++) {
				const span = owned[i]!;
				if (span.start >= end) break;
				if (span.row !== row) providers.add(span.row);
			}
		}
		for (const provider of providers) {
			dependents[provider]!.add(row);
			waitingOn[row]!++;
		}
	});

	const ready = new Ready();
	waitingOn.forEach((count, row) => {
		if (count === 0) ready.push(row);
	});
	const done = rows.map(() => false);
	const order: T[] = [];
	let next = 0;
	while (order.length < rows.length) {
		let row: number;
		if (ready.size > 0) {
			row = ready.pop();
		} else {
			// A cycle, which only malformed rows can make: break it at the oldest row left.
			while (done[next]) next++;
			row = next;
		}
		if (done[row]) continue;
		done[row] = true;
		order.push(rows[row]!);
		for (const dependent of dependents[row]!) {
			if (--waitingOn[dependent]! === 0 && !done[dependent]) ready.push(dependent);
		}
	}
	return order;
}
