/**
 * The phases of the collaboration benchmark about the server's life rather than edits: idle
 * sockets, a restart storm, joins of a big board. Each runs against one server at a time and
 * is bounded in time and count.
 */
import type postgres from 'postgres';
import { closeAll, openAll, Room, ThinClient, until } from './collab-clients.ts';
import { connectConcurrency } from './collab-edit-phases.ts';
import { CpuMeter, cpuMs, rssKb, type Target } from './collab-servers.ts';
import type { BoardFixture, Member } from './collab-setup.ts';
import { RunStats, Samples, type Summary } from './collab-stats.ts';
import { Fleet, runEdits } from './collab-workload.ts';

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
	/**
	 * CPU from reconnecting to settled: the server's, and its PostgreSQL backends'. Steadier
	 * than the times on a shared machine, where other work stretches them.
	 */
	serverCpuMs: number;
	databaseCpuMs: number;
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
		const meter = new CpuMeter(target);
		await meter.start();
		const reconnecting = performance.now();
		const opened = await openAll(fleet.clients, connectConcurrency);
		await until(() => fleet.clients.every((c) => c.unacked === 0), 30_000);
		const settledMs = performance.now() - reconnecting;
		const cpu = await meter.stop();
		const walRows =
			options.sql && before !== null ? (await walSequence(options.sql)) - before : null;
		const result = {
			clients: fleet.clients.length,
			stopMs,
			startMs,
			resyncMs: opened.ms,
			settledMs,
			serverCpuMs: cpu.serverMs,
			databaseCpuMs: cpu.databaseMs,
			walRows,
			failed: opened.failed,
			errorText: `${warm.errors > 0 ? `warm-up ${warm.errorText}; ` : ''}${stats.describeErrors()}`
		};
		console.log(
			`  ${target.name}: stop ${stopMs.toFixed(0)} ms, start ${startMs.toFixed(0)} ms, ` +
				`${result.clients} clients resynced in ${opened.ms.toFixed(0)} ms (${opened.failed} ` +
				`failed); CPU server ${cpu.serverMs.toFixed(0)} ms + PostgreSQL ` +
				`${cpu.databaseMs.toFixed(0)} ms; WAL rows from the resync: ${walRows ?? 'n/a'}; ` +
				`errors ${result.errorText}`
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
