/**
 * The editing phases of the collaboration benchmark (seed, history, knee), each run against one
 * server at a time and bounded in time and count. bench/collab-load.ts runs every phase on
 * TaskFlow and then on the bare Hocuspocus server, and compares.
 */
import * as Y from 'yjs';
import { updateTask } from '../src/lib/domain/board/index.ts';
import { closeAll, openAll, Room, ThinClient, until } from './collab-clients.ts';
import { rssKb, type Target } from './collab-servers.ts';
import type { BoardFixture, Member } from './collab-setup.ts';
import { RunStats } from './collab-stats.ts';
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
	options: { rate: number; seconds: number; warmupSeconds: number }
): Promise<SeedResult> {
	const fleet = new Fleet(target, boards);
	try {
		await fleet.openProviders(target, boards, owner);
		const rss0 = rssKb(target.pid());
		const opened = await fleet.open(connectConcurrency);
		const rss1 = rssKb(target.pid());
		const warm =
			options.warmupSeconds > 0
				? await runEdits(target, fleet, { rate: options.rate, seconds: options.warmupSeconds })
				: null;
		if (warm) console.log(`  ${target.name} warm-up: ${formatRun(warm)}`);
		const run = await runEdits(target, fleet, { rate: options.rate, seconds: options.seconds });
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
 * in two runs of three at one rate; then narrows the knee between the last rate that passed and the
 * one that missed, `refine` times, each at their geometric middle (with the default factor of
 * 1.5 and two refinements, to within about 11 % instead of 50 %).
 */
export async function kneePhase(
	target: Target,
	boards: BoardFixture[],
	options: {
		startRate: number;
		factor: number;
		steps: number;
		refine: number;
		seconds: number;
		p99LimitMs: number;
	}
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
		const missed = (run: EditRun) => run.latency.p99 > options.p99LimitMs || run.errors > 0;
		/**
		 * One step at `rate`, judged on two runs out of three: on a shared machine one stall
		 * anywhere sinks a run's p99 (a 50 ms pause delays about 1 % of a step's deliveries), so
		 * a miss is run again, and a pass after it is decided by a third run.
		 */
		const step = async (rate: number, label: string): Promise<EditRun> => {
			const attempt = async (suffix: string) => {
				const run = await runEdits(target, fleet, { rate, seconds: options.seconds });
				console.log(`  ${target.name} ${label}${suffix}: ${formatRun(run)}`);
				return run;
			};
			let run = await attempt('');
			if (run.keptUp && missed(run)) {
				run = await attempt(' again');
				if (run.keptUp && !missed(run)) run = await attempt(' third');
			}
			result.steps.push(run);
			if (run.keptUp && !missed(run) && run.deliveredPerSec > result.knee) {
				result.knee = run.deliveredPerSec;
				result.kneeRate = rate;
			}
			return run;
		};
		// Not judged: the first edits after a connect storm run code the JIT has not compiled yet
		// and meet the storm's leftovers (stores, session writes); both servers get the same.
		const warm = await runEdits(target, fleet, {
			rate: options.startRate,
			seconds: options.seconds
		});
		console.log(`  ${target.name} warm-up: ${formatRun(warm)}`);
		let rate = options.startRate;
		let passedAt = 0;
		let missedAt: number | null = null;
		for (let n = 0; n < options.steps; n++) {
			const run = await step(rate, `step ${n + 1} (${rate}/s)`);
			if (!run.keptUp) {
				result.generatorBound = true;
				break;
			}
			if (missed(run)) {
				missedAt = rate;
				break;
			}
			passedAt = rate;
			rate = Number((rate * options.factor).toFixed(3));
		}
		if (missedAt !== null) {
			result.lowerBound = false;
			// The generator falling behind here only ends the narrowing: a knee was found.
			let low = passedAt;
			let high = missedAt;
			for (let n = 0; n < options.refine && low > 0; n++) {
				const middle = Number(Math.sqrt(low * high).toFixed(3));
				const run = await step(middle, `refine ${n + 1} (${middle}/s)`);
				if (!run.keptUp) break;
				if (missed(run)) high = middle;
				else low = middle;
			}
		}
		return result;
	} finally {
		await fleet.close();
	}
}
