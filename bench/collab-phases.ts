/**
 * The phases of the collaboration benchmark, each run against one server at a time and each
 * bounded in time and count. bench/collab-load.ts runs every phase on TaskFlow and then on the
 * bare Hocuspocus server, and compares.
 */
import type postgres from 'postgres';
import * as Y from 'yjs';
import { updateTask } from '../src/lib/domain/board/index.ts';
import { closeAll, openAll, Room, ThinClient, until } from './collab-clients.ts';
import { CpuMeter, cpuMs, rssKb, type Target } from './collab-servers.ts';
import type { BoardFixture, Member } from './collab-setup.ts';
import { RunStats, Samples, type Summary } from './collab-stats.ts';
import { Fleet, formatRun, runEdits, type EditRun } from './collab-workload.ts';

/** Handshakes in flight at once while a fleet connects. */
export const connectConcurrency = 256;

export interface SeedResult {
	connectAllMs: number;
	connectFailed: number;
	/** Server RSS growth while the fleet connected, per connection (KiB). */
	rssPerConnectionKb: number;
	run: EditRun;
	converged: number;
	boards: number;
}

/** N clients over the boards, each editing its own card at `rate` for `seconds`. */
export async function seedPhase(
	target: Target,
	boards: BoardFixture[],
	owner: Member,
	options: { rate: number; seconds: number }
): Promise<SeedResult> {
	const fleet = new Fleet(target, boards);
	try {
		await fleet.openProviders(target, boards, owner);
		const rss0 = rssKb(target.pid());
		const opened = await fleet.open(connectConcurrency);
		const rss1 = rssKb(target.pid());
		const run = await runEdits(target, fleet, options);
		const converged = await fleet.converged(boards, 10_000);
		const result = {
			connectAllMs: opened.ms,
			connectFailed: opened.failed,
			rssPerConnectionKb: (rss1 - rss0) / fleet.clients.length,
			run,
			converged,
			boards: boards.length
		};
		console.log(
			`  ${target.name}: connect-all ${fleet.clients.length} in ${opened.ms.toFixed(0)} ms ` +
				`(${opened.failed} failed); ${formatRun(run)}; sanity providers converged ` +
				`${converged}/${boards.length}`
		);
		return result;
	} finally {
		await fleet.close();
	}
}

export interface HistoryResult {
	clientIds: number;
	documentBytes: number;
}

/**
 * Gives every board the history of `clientIds` past sessions: each writes one title edit
 * under a Yjs client id of its own (as every page load of a browser has), so the document's
 * state vector and delete set name that many clients.
 */
export async function addHistory(
	target: Target,
	boards: BoardFixture[],
	owner: Member,
	clientIds: number
): Promise<HistoryResult> {
	const stats = new RunStats();
	const writers = boards.map(
		(board, i) =>
			new ThinClient(
				{
					url: target.wsUrl,
					room: new Room(board.documentName),
					token: owner.token,
					actorId: owner.userId,
					index: i
				},
				stats
			)
	);
	try {
		if ((await openAll(writers, 16)).failed > 0) throw new Error(stats.describeErrors());
		await Promise.all(
			boards.map(async (board, b) => {
				const writer = writers[b]!;
				const session = new Y.Doc();
				Y.applyUpdate(session, Y.encodeStateAsUpdate(writer.doc));
				let update: Uint8Array | null = null;
				session.on('update', (u: Uint8Array) => (update = u));
				for (let h = 0; h < clientIds; h++) {
					session.clientID = Math.floor(Math.random() * 2 ** 32);
					const taskId = board.taskIds[h % board.taskIds.length]!;
					updateTask(session, { taskId, title: `earlier edit ${h}` }, { actorId: owner.userId });
					writer.sendUpdate(update!);
					if (!(await until(() => writer.unacked < 32, 30_000))) throw new Error('history stalled');
				}
			})
		);
		await until(() => writers.every((w) => w.unacked === 0), 30_000);
		const doc = writers[0]!.doc;
		return {
			clientIds: Y.decodeStateVector(Y.encodeStateVector(doc)).size,
			documentBytes: Y.encodeStateAsUpdate(doc).length
		};
	} finally {
		await closeAll(writers);
	}
}

export interface KneeResult {
	steps: EditRun[];
	/** Highest delivered/s of a step with p99 ≤ the limit (0 when even the first step missed). */
	knee: number;
	kneeRate: number;
	/** The search stopped because the generator, not the server, could not keep up. */
	generatorBound: boolean;
	/** No step missed the limit (generator or step count ran out first): `knee` is a floor. */
	lowerBound: boolean;
}

/**
 * Raises the edit rate by `factor` per step until p99 exceeds `p99LimitMs` (or errors appear)
 * twice in a row at one rate.
 */
export async function kneePhase(
	target: Target,
	boards: BoardFixture[],
	options: { startRate: number; factor: number; steps: number; seconds: number; p99LimitMs: number }
): Promise<KneeResult> {
	const fleet = new Fleet(target, boards);
	const result: KneeResult = {
		steps: [],
		knee: 0,
		kneeRate: 0,
		generatorBound: false,
		lowerBound: true
	};
	try {
		const opened = await fleet.open(connectConcurrency);
		if (opened.failed > 0)
			console.log(`  ${target.name}: ${opened.failed} clients failed to connect`);
		let rate = options.startRate;
		const missed = (run: EditRun) => run.latency.p99 > options.p99LimitMs || run.errors > 0;
		for (let step = 0; step < options.steps; step++) {
			let run = await runEdits(target, fleet, { rate, seconds: options.seconds });
			console.log(`  ${target.name} step ${step + 1}: ${formatRun(run)}`);
			// On a shared machine one stall elsewhere can sink a step: a miss must repeat.
			if (run.keptUp && missed(run)) {
				run = await runEdits(target, fleet, { rate, seconds: options.seconds });
				console.log(`  ${target.name} step ${step + 1} again: ${formatRun(run)}`);
			}
			result.steps.push(run);
			if (!run.keptUp) {
				result.generatorBound = true;
				break;
			}
			if (missed(run)) {
				result.lowerBound = false;
				break;
			}
			if (run.deliveredPerSec > result.knee) {
				result.knee = run.deliveredPerSec;
				result.kneeRate = rate;
			}
			rate = Number((rate * options.factor).toFixed(3));
		}
		return result;
	} finally {
		await fleet.close();
	}
}

export interface IdleResult {
	sockets: number;
	failed: number;
	rssBeforeKb: number;
	rssAfterKb: number;
	perSocketKb: number;
	/** Server CPU while the sockets sat idle (presence renewals only), % of one core. */
	idleCpuPercent: number;
}

/** RSS settles once two samples 250 ms apart differ by under 1% (at most 5 s). */
async function settledRss(pid: number): Promise<number> {
	let last = rssKb(pid);
	const deadline = performance.now() + 5000;
	while (performance.now() < deadline) {
		await new Promise((r) => setTimeout(r, 250));
		const now = rssKb(pid);
		if (Math.abs(now - last) < last * 0.01) return now;
		last = now;
	}
	return last;
}

/**
 * Authenticated, synced sockets doing nothing, on a freshly started server (so its RSS is not
 * hidden in heap freed by earlier phases): RSS growth per socket.
 */
export async function idlePhase(
	target: Target,
	boards: BoardFixture[],
	idleSeconds: number
): Promise<IdleResult> {
	await target.restart();
	const rss0 = await settledRss(target.pid());
	const fleet = new Fleet(target, boards, { keepDoc: false });
	try {
		const opened = await fleet.open(connectConcurrency);
		const rss1 = await settledRss(target.pid());
		const cpu0 = cpuMs(target.pid()) ?? 0;
		const t0 = performance.now();
		await new Promise((r) => setTimeout(r, idleSeconds * 1000));
		const idleCpuPercent =
			(((cpuMs(target.pid()) ?? cpu0) - cpu0) / (performance.now() - t0)) * 100;
		const sockets = fleet.clients.length - opened.failed;
		const result = {
			sockets,
			failed: opened.failed,
			rssBeforeKb: rss0,
			rssAfterKb: rss1,
			perSocketKb: (rss1 - rss0) / sockets,
			idleCpuPercent
		};
		console.log(
			`  ${target.name}: ${sockets} idle sockets (${opened.failed} failed), RSS ${rss0} -> ` +
				`${rss1} KiB = ${result.perSocketKb.toFixed(1)} KiB/socket; idle CPU ` +
				`${idleCpuPercent.toFixed(1)}%`
		);
		return result;
	} finally {
		await fleet.close();
	}
}

export interface StormResult {
	clients: number;
	stopMs: number;
	startMs: number;
	/** Server listening -> every client authenticated and synced again. */
	resyncMs: number;
	/** ... and every client's sync reply acknowledged. */
	settledMs: number;
	/** Rows appended to the write-ahead log by the resync (null: no log). */
	walRows: number | null;
	failed: number;
	errorText: string;
}

async function walSequence(sql: postgres.Sql): Promise<number> {
	const [row] = await sql<{ value: string }[]>`
		select (case when is_called then last_value else last_value - 1 end)::text as value
		from board_updates_id_seq`;
	return Number(row!.value);
}

/**
 * The server restarts under connected, caught-up clients, which all reconnect at once as soon
 * as it listens again. A short burst of edits first leaves recent, not yet compacted history.
 */
export async function stormPhase(
	target: Target,
	boards: BoardFixture[],
	options: { rate: number; sql: postgres.Sql | null }
): Promise<StormResult> {
	const fleet = new Fleet(target, boards, { followUpdates: true });
	try {
		await fleet.open(connectConcurrency);
		const warm = await runEdits(target, fleet, { rate: options.rate, seconds: 2 });
		fleet.catchUp();
		for (const client of fleet.clients) client.expectClose = true;
		const { stopMs, startMs } = await target.restart();
		await until(() => fleet.clients.every((c) => c.socket === null), 10_000);
		const before = options.sql ? await walSequence(options.sql) : null;
		const stats = fleet.reset();
		const reconnecting = performance.now();
		const opened = await openAll(fleet.clients, connectConcurrency);
		await until(() => fleet.clients.every((c) => c.unacked === 0), 30_000);
		const settledMs = performance.now() - reconnecting;
		const walRows =
			options.sql && before !== null ? (await walSequence(options.sql)) - before : null;
		const result = {
			clients: fleet.clients.length,
			stopMs,
			startMs,
			resyncMs: opened.ms,
			settledMs,
			walRows,
			failed: opened.failed,
			errorText: `${warm.errors > 0 ? `warm-up ${warm.errorText}; ` : ''}${stats.describeErrors()}`
		};
		console.log(
			`  ${target.name}: stop ${stopMs.toFixed(0)} ms, start ${startMs.toFixed(0)} ms, ` +
				`${result.clients} clients resynced in ${opened.ms.toFixed(0)} ms (${opened.failed} ` +
				`failed); WAL rows from the resync: ${walRows ?? 'n/a'}; errors ${result.errorText}`
		);
		return result;
	} finally {
		await fleet.close();
	}
}

export interface JoinResult {
	cards: number;
	joins: number;
	failed: number;
	/** The first join, which loads the board from storage. */
	coldJoinMs: number;
	bytesPerJoin: number;
	cpuMsPerJoin: number;
	serverCpuMsPerJoin: number;
	join: Summary;
}

/** Clients with empty documents join a big board (held open by one client) one after another. */
export async function joinPhase(
	target: Target,
	board: BoardFixture,
	owner: Member,
	options: { cards: number; joins: number }
): Promise<JoinResult> {
	const { joins } = options;
	const stats = new RunStats();
	const room = new Room(board.documentName);
	const joiner = (index: number) =>
		new ThinClient(
			{
				url: target.wsUrl,
				room,
				token: owner.token,
				actorId: owner.userId,
				index,
				keepDoc: false
			},
			stats
		);
	const cold = joiner(0);
	const t0 = performance.now();
	const coldOk = await cold.open();
	const coldJoinMs = performance.now() - t0;
	const holder = joiner(1);
	await holder.open();
	await closeAll([cold]);
	const times = new Samples();
	let bytes = 0;
	let failed = coldOk ? 0 : 1;
	const meter = new CpuMeter(target);
	await meter.start();
	for (let j = 0; j < joins; j++) {
		const client = joiner(2 + j);
		const started = performance.now();
		if (await client.open()) times.add(performance.now() - started);
		else failed++;
		bytes += client.bytesToSync;
		await closeAll([client]);
	}
	const cpu = await meter.stop();
	await closeAll([holder]);
	const result = {
		cards: options.cards,
		joins,
		failed,
		coldJoinMs,
		bytesPerJoin: bytes / joins,
		cpuMsPerJoin: (cpu.serverMs + cpu.databaseMs) / joins,
		serverCpuMsPerJoin: cpu.serverMs / joins,
		join: times.summary()
	};
	console.log(
		`  ${target.name}: cold first join ${coldJoinMs.toFixed(0)} ms; ${joins} joins: ` +
			`${(result.bytesPerJoin / 1024).toFixed(0)} KiB and ${result.cpuMsPerJoin.toFixed(1)} ms CPU ` +
			`(server ${result.serverCpuMsPerJoin.toFixed(1)}) per join, p50 ${result.join.p50.toFixed(0)} ms ` +
			`p95 ${result.join.p95.toFixed(0)} ms; failed ${failed}`
	);
	return result;
}
