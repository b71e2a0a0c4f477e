/**
 * Collaboration load (issue 9): TaskFlow's /collab against a bare Hocuspocus 4 server
 * (bench/bare-hocuspocus.ts), the same workload on both in the same run, then the ratios.
 * Both run as child processes on 127.0.0.1; TaskFlow is the production build
 * (`node server/index.ts`) on a throwaway database (TEST_DATABASE_URL's server), without Redis
 * unless `--redis <url>`. The load comes from thin protocol clients in this process
 * (bench/collab-clients.ts) making real contract edits (`updateTask` on a card of their own),
 * plus one full @hocuspocus/provider per board as a sanity client. See docs/performance.md.
 *
 * Phases (`--phases`, comma-separated, in this order):
 *   seed     N clients over D boards, R edits/s each: connect-all time, delivery latency
 *            p50/p95/p99/max, delivered/s, server and PostgreSQL CPU per delivered update
 *            (`--seed-pairs P`: P runs on each server, alternating; the table shows the pair
 *            with the median CPU ratio and a list gives every pair's ratios and their medians;
 *            `--seed-warmup S`: S seconds of the same edits before each measured run, printed
 *            but not judged, so a run measures code the JIT has compiled, as the knee's steps do)
 *   history  every seed board gets edits from `--history` distinct Yjs client ids, then seed again
 *   knee     rate raised by `--knee-factor` per step until p99 > `--knee-p99` ms, then narrowed
 *            `--knee-refine` times between the last rate that passed and the one that missed
 *   idle     `--idle` authenticated, synced, silent sockets on a fresh server: RSS per socket
 *   storm    restart under the seed fleet: resync time, WAL rows the resync wrote
 *   join     `--joins` cold joins of a `--cards`-card board: bytes and CPU per join
 *
 * Small default (`npm run bench`, about two minutes): `npx node bench/collab-load.ts` (npx
 * for the project's Node 24, as npm scripts use).
 * Full size (the targets of issue 9):
 *   npx node bench/collab-load.ts --conns 1000 --boards 50 --rate 1 --seconds 20 --history 500 \
 *     --knee-conns 500 --knee-boards 10 --knee-seconds 5 --knee-steps 10 --idle 5000 \
 *     --cards 5000 --joins 50
 * Needs `vite build` first. BENCH_NODE_OPTIONS goes to both servers' NODE_OPTIONS; TaskFlow's own
 * command-line flags (server/node-flags.ts) win where they overlap.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { createTestDatabase } from '../tests/server/support/database.ts';
import {
	addHistory,
	kneePhase,
	seedPhase,
	type HistoryResult,
	type KneeResult,
	type SeedResult
} from './collab-edit-phases.ts';
import {
	idlePhase,
	joinPhase,
	stormPhase,
	type IdleResult,
	type JoinResult,
	type StormResult
} from './collab-server-phases.ts';
import {
	loopDelayDir,
	probedNodeOptions,
	startBare,
	startTaskflow,
	type Target
} from './collab-servers.ts';
import {
	copyBoards,
	createBigBoard,
	createGroup,
	createOwner,
	type BoardFixture
} from './collab-setup.ts';
import { medianPair, printSummary, type Results, type SeedPair } from './collab-summary.ts';

const allPhases = ['seed', 'history', 'knee', 'idle', 'storm', 'join'] as const;
type Phase = (typeof allPhases)[number];

const { values: flags } = parseArgs({
	options: {
		conns: { type: 'string', default: '200' },
		'seed-pairs': { type: 'string', default: '1' },
		'seed-warmup': { type: 'string', default: '0' },
		boards: { type: 'string', default: '10' },
		rate: { type: 'string', default: '1' },
		seconds: { type: 'string', default: '8' },
		history: { type: 'string', default: '100' },
		'knee-conns': { type: 'string', default: '100' },
		'knee-boards': { type: 'string', default: '4' },
		'knee-start': { type: 'string', default: '0.5' },
		'knee-factor': { type: 'string', default: '1.5' },
		'knee-steps': { type: 'string', default: '7' },
		'knee-refine': { type: 'string', default: '2' },
		'knee-seconds': { type: 'string', default: '3' },
		'knee-p99': { type: 'string', default: '50' },
		idle: { type: 'string', default: '500' },
		'idle-seconds': { type: 'string', default: '3' },
		cards: { type: 'string', default: '5000' },
		joins: { type: 'string', default: '10' },
		phases: { type: 'string', default: allPhases.join(',') },
		redis: { type: 'string', default: '' }
	}
});

/** A whole number ≥ 0 (a count that may be none). */
function count(name: keyof typeof flags): number {
	const value = Number(flags[name]);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
	return value;
}

/** A number ≥ 0 (a duration that may be none). */
function nonNegative(name: keyof typeof flags): number {
	const value = Number(flags[name]);
	if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
	return value;
}

function positive(name: keyof typeof flags): number {
	const value = Number(flags[name]);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
	return value;
}

const conns = positive('conns');
const boardCount = positive('boards');
const rate = positive('rate');
const seconds = positive('seconds');
const warmupSeconds = nonNegative('seed-warmup');
const phases = new Set(
	String(flags.phases)
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean)
);
for (const phase of phases) {
	if (!allPhases.includes(phase as Phase)) throw new Error(`unknown phase ${phase}`);
}
const wants = (phase: Phase) => phases.has(phase);
if (!existsSync('build/handler.js')) throw new Error('run `vite build` first');

const db = await createTestDatabase();
const sql = postgres(db.url, { max: 1, onnotice: () => {} });
const stateDir = mkdtempSync(path.join(tmpdir(), 'bare-hocuspocus-'));
const taskflow = await startTaskflow(
	{
		DATABASE_URL: db.url,
		REDIS_URL: String(flags.redis),
		API_RATE_LIMIT: '1000000',
		// Every client comes from 127.0.0.1: the cap on unauthenticated sockets per address would
		// refuse all but 20 of a connect storm (bare Hocuspocus has no such cap).
		WS_MAX_PENDING_PER_ADDRESS: '100000',
		// The owner's providers hold every board of the run (more than a person keeps open).
		WS_MAX_BOARDS_PER_USER: '100000',
		LOG_LEVEL: 'warn',
		NODE_OPTIONS: probedNodeOptions(),
		LOOP_DELAY_DIR: loopDelayDir
	},
	sql,
	db.name
);
const bare = await startBare(stateDir);
const targets: Target[] = [taskflow, bare];
const results: Results = { taskflow: {}, bare: {} };

async function each<T>(
	run: (target: Target) => Promise<T>,
	store: (into: Results['taskflow'], value: T) => void
) {
	for (const target of targets) store(results[target.name], await run(target));
}

try {
	const setupStarted = performance.now();
	const owner = await createOwner(taskflow);
	const perBoard = Math.ceil(conns / boardCount);
	const seedBoards =
		wants('seed') || wants('history') || wants('storm')
			? await createGroup(taskflow, sql, owner, { boards: boardCount, perBoard, cards: true })
			: [];
	const kneeBoards = wants('knee')
		? await createGroup(taskflow, sql, owner, {
				boards: positive('knee-boards'),
				perBoard: Math.ceil(positive('knee-conns') / positive('knee-boards')),
				cards: true
			})
		: [];
	const idleBoards = wants('idle')
		? await createGroup(taskflow, sql, owner, {
				boards: Math.ceil(positive('idle') / 20),
				perBoard: 20,
				cards: false
			})
		: [];
	const cards = positive('cards');
	const big = wants('join') ? await createBigBoard(taskflow, owner, cards) : null;
	const everything: BoardFixture[] = [...seedBoards, ...kneeBoards, ...idleBoards];
	if (big) everything.push(big);
	await copyBoards(taskflow, bare, owner, everything);
	console.log(
		`setup: ${everything.length} boards, ${conns} + ${kneeBoards.length ? positive('knee-conns') : 0}` +
			` + ${idleBoards.length ? positive('idle') : 0} members, copied to bare Hocuspocus, in ` +
			`${((performance.now() - setupStarted) / 1000).toFixed(1)} s`
	);

	if (wants('seed')) {
		const pairs = count('seed-pairs');
		if (pairs === 0) throw new Error('--seed-pairs must be at least 1');
		console.log(
			`seed: ${conns} clients, ${boardCount} boards, ${rate} edit/s each, ${seconds} s` +
				(pairs > 1 ? `, ${pairs} pairs of runs` : '')
		);
		// Pairs alternate which server goes first (TaskFlow, bare; bare, TaskFlow; …), so a
		// machine that gets busier or quieter during the phase favours neither.
		const runs: SeedPair[] = [];
		for (let i = 0; i < pairs; i++) {
			const pair: Partial<SeedPair> = {};
			for (const target of i % 2 === 0 ? targets : [...targets].reverse()) {
				pair[target.name] = await seedPhase(target, seedBoards, owner, {
					rate,
					seconds,
					warmupSeconds
				});
			}
			runs.push(pair as SeedPair);
		}
		const middle = medianPair(runs);
		results.taskflow.seed = middle.taskflow;
		results.bare.seed = middle.bare;
		results.seedPairs = runs;
	}
	if (wants('history')) {
		const ids = positive('history');
		console.log(`history: ${ids} client ids per board, then the seed workload again`);
		await each(
			(t) => addHistory(t, seedBoards, owner, ids),
			(r, v: HistoryResult) => (r.history = v)
		);
		await each(
			(t) => seedPhase(t, seedBoards, owner, { rate, seconds, warmupSeconds }),
			(r, v: SeedResult) => (r.seedWithHistory = v)
		);
	}
	if (wants('knee')) {
		const p99LimitMs = positive('knee-p99');
		console.log(
			`knee: ${positive('knee-conns')} clients, ${kneeBoards.length} boards, p99 ≤ ${p99LimitMs} ms`
		);
		await each(
			(t) =>
				kneePhase(t, kneeBoards, {
					startRate: positive('knee-start'),
					factor: positive('knee-factor'),
					steps: positive('knee-steps'),
					refine: count('knee-refine'),
					seconds: positive('knee-seconds'),
					p99LimitMs
				}),
			(r, v: KneeResult) => (r.knee = v)
		);
	}
	if (wants('idle')) {
		console.log(`idle: ${positive('idle')} sockets, fresh server`);
		await each(
			(t) => idlePhase(t, idleBoards, positive('idle-seconds')),
			(r, v: IdleResult) => (r.idle = v)
		);
	}
	if (wants('storm')) {
		console.log(`storm: restart under ${conns} clients`);
		await each(
			(t) => stormPhase(t, seedBoards, { rate, sql: t === taskflow ? sql : null }),
			(r, v: StormResult) => (r.storm = v)
		);
	}
	if (big) {
		console.log(`join: ${cards}-card board`);
		await each(
			(t) => joinPhase(t, big, owner, { cards, joins: positive('joins') }),
			(r, v: JoinResult) => (r.join = v)
		);
	}
	printSummary(results, { idleTargetSockets: 5000 });
} finally {
	await Promise.all(targets.map((t) => t.stop()));
	await sql.end();
	await db.drop();
	rmSync(stateDir, { recursive: true, force: true });
}
process.exit(0);
