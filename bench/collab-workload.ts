/**
 * The editing workload of the collaboration benchmark: a fleet of thin clients over a set of
 * boards (plus, where asked, one full `@hocuspocus/provider` per board as a sanity client),
 * edits at a fixed rate per client for a fixed time, and what that cost the server.
 */
import { connect, type TestProvider } from '../tests/server/support/collab.ts';
import { openAll, Room, ThinClient, until } from './collab-clients.ts';
import { stampedEdits } from './collab-stamps.ts';
import { CpuMeter, LoopDelayProbe, type LoopDelay, type Target } from './collab-servers.ts';
import type { BoardFixture, Member } from './collab-setup.ts';
import { RunStats, type Summary } from './collab-stats.ts';
import { readBoard } from '../src/lib/domain/board/index.ts';

/** Thin clients of a set of boards on one server, interleaved so consecutive edits hit different boards. */
export class Fleet {
	readonly clients: ThinClient[] = [];
	readonly providers: TestProvider[] = [];
	stats = new RunStats();
	readonly #renewals: NodeJS.Timeout[] = [];

	constructor(
		target: Target,
		boards: BoardFixture[],
		options: { keepDoc?: boolean; followUpdates?: boolean } = {}
	) {
		const rooms = boards.map((b) => new Room(b.documentName));
		const perBoard = Math.max(0, ...boards.map((b) => b.members.length));
		for (let k = 0; k < perBoard; k++) {
			boards.forEach((board, b) => {
				const member = board.members[k];
				if (!member) return;
				this.clients.push(
					new ThinClient(
						{
							url: target.wsUrl,
							room: rooms[b]!,
							token: member.token,
							actorId: member.userId,
							index: this.clients.length,
							taskId: board.taskIds[k],
							keepDoc: options.keepDoc,
							followUpdates: options.followUpdates
						},
						this.stats
					)
				);
			});
		}
	}

	/**
	 * Opens every client. Each announces its presence once open and renews it every 15 s from
	 * then on, as a provider's awareness does on its own timer. One fleet-wide timer announced
	 * all clients in the same tick instead: a burst no real fleet sends (20,000 frames at once at
	 * the seed's size, every 15 s), which stalled both servers for 100–200 ms once a run and
	 * set the seed's p99 (docs/performance.md, "Tenth pass").
	 */
	async open(concurrency: number): Promise<{ ms: number; failed: number }> {
		this.#stopRenewals();
		return openAll(this.clients, concurrency, {
			onOpen: (client) => {
				client.announce();
				this.#renewals.push(setInterval(() => client.announce(), 15_000));
			}
		});
	}

	#stopRenewals(): void {
		for (const timer of this.#renewals) clearInterval(timer);
		this.#renewals.length = 0;
	}

	/** One full provider per board, with the owner's session; their doc records arrivals. */
	async openProviders(target: Target, boards: BoardFixture[], owner: Member): Promise<void> {
		for (const board of boards) {
			const provider = connect(target.httpUrl, board.id, { token: owner.token });
			provider.doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== provider.provider) return;
				const bytes = Buffer.from(update.buffer, update.byteOffset, update.byteLength);
				stampedEdits(bytes, 0, bytes.length, (seq, sender, now) => {
					const sent = this.stats.sentAt(sender, seq);
					if (!Number.isNaN(sent)) this.stats.providerLatency.add(now - sent);
				});
			});
			this.providers.push(provider);
		}
		const ready = await Promise.all(this.providers.map((p) => p.ready));
		if (!ready.every(Boolean)) throw new Error('a sanity provider could not open its board');
	}

	/** A fresh ledger for the next run. */
	reset(): RunStats {
		this.stats = new RunStats();
		for (const client of this.clients) client.stats = this.stats;
		return this.stats;
	}

	/** Boards whose provider shows every client's last title (waits up to `timeoutMs`). */
	async converged(boards: BoardFixture[], timeoutMs: number): Promise<number> {
		const check = () =>
			boards.filter((board, b) => {
				const provider = this.providers[b];
				if (!provider) return false;
				const titles = new Map(
					readBoard(provider.doc).columns.flatMap((c) => c.tasks.map((t) => [t.id, t.title]))
				);
				return this.clients
					.filter((c) => c.options.room.documentName === board.documentName && c.lastTitle)
					.every((c) => titles.get(c.options.taskId!) === c.lastTitle);
			}).length;
		await until(() => check() === boards.length, timeoutMs);
		return check();
	}

	catchUp(): void {
		for (const client of this.clients) client.catchUp();
	}

	async close(): Promise<void> {
		this.#stopRenewals();
		for (const client of this.clients) client.close();
		for (const provider of this.providers) provider.destroy();
		this.providers.length = 0;
		await until(() => this.clients.every((c) => c.socket === null), 10_000);
	}
}

export interface EditRun {
	rate: number;
	seconds: number;
	clients: number;
	edits: number;
	delivered: number;
	undelivered: number;
	deliveredPerSec: number;
	latency: Summary;
	providerLatency: Summary;
	ack: Summary;
	sendLagP99: number;
	/** Frames the thin clients received per delivery (below 1 when broadcasts coalesce). */
	framesPerDelivery: number;
	serverCpuMs: number;
	databaseCpuMs: number;
	/** The server's event-loop delay over the run: its own stalls, which every socket waits out. */
	loopDelay: LoopDelay;
	/** Server + database CPU per delivered update (µs). */
	cpuPerDeliveryUs: number;
	errors: number;
	errorText: string;
	/** The generator sent what it was asked to, on time (median lag under 10 ms). */
	keptUp: boolean;
}

/**
 * Every client edits its card `rate` times a second for `seconds`, spread evenly; then the run
 * drains (bounded) until every delivery owed and every acknowledgement has arrived.
 */
export async function runEdits(
	target: Target,
	fleet: Fleet,
	options: { rate: number; seconds: number; drainMs?: number }
): Promise<EditRun> {
	const stats = fleet.reset();
	const clients = fleet.clients;
	const perSecond = clients.length * options.rate;
	const planned = Math.floor(perSecond * options.seconds);
	// Edit j goes to client j mod N.
	clients.forEach((client, i) => client.prepare(Math.ceil((planned - i) / clients.length)));
	const meter = new CpuMeter(target);
	await meter.start();
	const loop = new LoopDelayProbe(target.pid());
	await loop.start();
	const start = performance.now();
	let next = 0;
	await new Promise<void>((resolve) => {
		const tick = () => {
			const now = performance.now();
			const due = Math.min(planned, Math.floor(((now - start) / 1000) * perSecond) + 1);
			for (; next < due; next++) {
				stats.sendLag.add(now - (start + (next / perSecond) * 1000));
				clients[next % clients.length]!.edit();
			}
			if (next >= planned) resolve();
			else setTimeout(tick, 2);
		};
		tick();
	});
	// Edits a client could not send on time (not synced then) go now, so no replica is left
	// holding edits the server never saw.
	let unsent = 0;
	for (const client of clients) {
		while (client.edit());
		unsent += client.pendingEdits;
	}
	if (unsent > 0) stats.errors.set('never sent', unsent);
	const drained = await until(
		() => stats.delivered >= stats.expected && clients.every((c) => c.unacked === 0),
		options.drainMs ?? 10_000
	);
	const cpu = await meter.stop();
	const loopDelay = await loop.stop();
	if (!drained) {
		const unacked = clients.reduce((n, c) => n + c.unacked, 0);
		if (unacked > 0) stats.errors.set('unacknowledged', unacked);
	}
	const undelivered = Math.max(0, stats.expected - stats.delivered);
	if (undelivered > 0) stats.errors.set('undelivered', undelivered);
	const lag = stats.sendLag.summary();
	return {
		rate: options.rate,
		seconds: options.seconds,
		clients: clients.length,
		edits: stats.sent,
		delivered: stats.delivered,
		undelivered,
		deliveredPerSec: stats.delivered / options.seconds,
		latency: stats.latency.summary(),
		providerLatency: stats.providerLatency.summary(),
		ack: stats.ack.summary(),
		sendLagP99: lag.p99,
		framesPerDelivery: stats.delivered === 0 ? NaN : stats.framesIn / stats.delivered,
		serverCpuMs: cpu.serverMs,
		databaseCpuMs: cpu.databaseMs,
		loopDelay,
		cpuPerDeliveryUs:
			stats.delivered === 0 ? NaN : ((cpu.serverMs + cpu.databaseMs) * 1000) / stats.delivered,
		errors: stats.errorCount(),
		errorText: stats.describeErrors(),
		// A saturated generator falls further behind with every edit, which moves the median;
		// the machine's other tenants only cause short stalls, which move the tail.
		keptUp: stats.sent >= planned * 0.95 && lag.p50 < 10
	};
}

export function formatRun(run: EditRun): string {
	const ms = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(1));
	return (
		`${run.clients} clients × ${run.rate} edit/s, ${run.seconds} s: ${run.edits} edits, ` +
		`${run.delivered} delivered (${run.deliveredPerSec.toFixed(0)}/s), latency ms ` +
		`p50 ${ms(run.latency.p50)} p95 ${ms(run.latency.p95)} p99 ${ms(run.latency.p99)} ` +
		`max ${ms(run.latency.max)}; provider p99 ${ms(run.providerLatency.p99)}; ` +
		`ack p99 ${ms(run.ack.p99)}; CPU server ${run.serverCpuMs.toFixed(0)} ms + ` +
		`PostgreSQL ${run.databaseCpuMs.toFixed(0)} ms = ${run.cpuPerDeliveryUs.toFixed(1)} µs/delivery; ` +
		`server loop delay p99 ${ms(run.loopDelay.p99)} max ${ms(run.loopDelay.max)} ms; ` +
		`send lag p99 ${ms(run.sendLagP99)} ms${run.keptUp ? '' : ' (generator fell behind)'}; ` +
		`frames received per delivery ${run.framesPerDelivery.toFixed(2)}; ` +
		`errors ${run.errorText}`
	);
}
