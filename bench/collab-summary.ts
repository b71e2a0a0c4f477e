/** The collaboration benchmark's closing table (markdown) and its verdict on issue 9's targets. */
import type { HistoryResult, KneeResult, SeedResult } from './collab-edit-phases.ts';
import type { IdleResult, JoinResult, StormResult } from './collab-server-phases.ts';
import { median } from './stats.ts';

export interface TargetResults {
	seed?: SeedResult;
	history?: HistoryResult;
	seedWithHistory?: SeedResult;
	knee?: KneeResult;
	idle?: IdleResult;
	storm?: StormResult;
	join?: JoinResult;
}

export interface Results {
	taskflow: TargetResults;
	bare: TargetResults;
	/** Every pair of seed runs when there were several (`--seed-pairs`). */
	seedPairs?: SeedPair[];
}

/** One seed run on each server, back to back. */
export interface SeedPair {
	taskflow: SeedResult;
	bare: SeedResult;
}

const cpuRatio = (pair: SeedPair) =>
	pair.taskflow.run.cpuPerDeliveryUs / pair.bare.run.cpuPerDeliveryUs;

/** The pair whose CPU ratio is the median one (the lower middle of an even count). */
export function medianPair(pairs: SeedPair[]): SeedPair {
	const sorted = [...pairs].sort((a, b) => cpuRatio(a) - cpuRatio(b));
	return sorted[(sorted.length - 1) >> 1]!;
}

/** Each pair's ratios and the medians of the per-pair ratios, against the seed's targets. */
function printSeedPairs(pairs: SeedPair[]): void {
	const ratios = pairs.map((pair) => ({
		cpu: cpuRatio(pair),
		server: pair.taskflow.run.serverCpuMs / pair.bare.run.serverCpuMs,
		p99: pair.taskflow.run.latency.p99 / pair.bare.run.latency.p99,
		p95: pair.taskflow.run.latency.p95
	}));
	console.log(`\nseed, ${pairs.length} pairs (TaskFlow / bare, each pair back to back):`);
	console.log('| pair | CPU per delivery | server CPU | p99 | TaskFlow p95 (ms) |');
	console.log('| ---: | ---: | ---: | ---: | ---: |');
	ratios.forEach((r, i) =>
		console.log(
			`| ${i + 1} | ${r.cpu.toFixed(2)} | ${r.server.toFixed(2)} | ${r.p99.toFixed(2)} | ` +
				`${r.p95.toFixed(1)} |`
		)
	);
	const cpu = median(ratios.map((r) => r.cpu));
	const p99 = median(ratios.map((r) => r.p99));
	console.log(
		`| median | ${cpu.toFixed(2)} (≤ 1.3: ${cpu <= 1.3 ? 'met' : 'MISSED'}) | ` +
			`${median(ratios.map((r) => r.server)).toFixed(2)} | ` +
			`${p99.toFixed(2)} (≤ 1.5: ${p99 <= 1.5 ? 'met' : 'MISSED'}) | ` +
			`${median(ratios.map((r) => r.p95)).toFixed(1)} |`
	);
}

type Pick = (r: TargetResults) => number | null | undefined;

interface Row {
	metric: string;
	pick: Pick;
	digits: number;
	/** What issue 9 asks of this row, checked against TaskFlow's figure and the ratio. */
	target?: { text: string; pass: (taskflow: number, ratio: number) => boolean };
	/** The comparison cannot be judged (a figure is only a lower bound). */
	floor?: (results: Results) => boolean;
}

function seedRows(label: string, seed: (r: TargetResults) => SeedResult | undefined): Row[] {
	return [
		{
			metric: `${label}: connect-all (ms)`,
			pick: (r) => seed(r)?.connectAllMs,
			digits: 0,
			target: { text: 'ratio ≤ 1.5', pass: (_t, ratio) => ratio <= 1.5 }
		},
		{ metric: `${label}: latency p50 (ms)`, pick: (r) => seed(r)?.run.latency.p50, digits: 1 },
		{
			metric: `${label}: latency p95 (ms)`,
			pick: (r) => seed(r)?.run.latency.p95,
			digits: 1,
			target: { text: 'TaskFlow < 200', pass: (t) => t < 200 }
		},
		{
			metric: `${label}: latency p99 (ms)`,
			pick: (r) => seed(r)?.run.latency.p99,
			digits: 1,
			target: { text: 'ratio ≤ 1.5', pass: (_t, ratio) => ratio <= 1.5 }
		},
		{ metric: `${label}: latency max (ms)`, pick: (r) => seed(r)?.run.latency.max, digits: 1 },
		{
			metric: `${label}: server event-loop delay p99 (ms)`,
			pick: (r) => seed(r)?.run.loopDelay.p99,
			digits: 1
		},
		{
			metric: `${label}: server event-loop delay max (ms)`,
			pick: (r) => seed(r)?.run.loopDelay.max,
			digits: 1
		},
		{ metric: `${label}: delivered/s`, pick: (r) => seed(r)?.run.deliveredPerSec, digits: 0 },
		{
			metric: `${label}: server + PostgreSQL CPU per delivered update (µs)`,
			pick: (r) => seed(r)?.run.cpuPerDeliveryUs,
			digits: 1,
			target: { text: 'ratio ≤ 1.3', pass: (_t, ratio) => ratio <= 1.3 }
		},
		{ metric: `${label}: server CPU (ms)`, pick: (r) => seed(r)?.run.serverCpuMs, digits: 0 },
		{ metric: `${label}: PostgreSQL CPU (ms)`, pick: (r) => seed(r)?.run.databaseCpuMs, digits: 0 },
		{
			metric: `${label}: RSS growth per connection (KiB)`,
			pick: (r) => seed(r)?.rssPerConnectionKb,
			digits: 1
		},
		{
			metric: `${label}: errors`,
			pick: (r) => {
				const s = seed(r);
				return s && s.run.errors + s.connectFailed + (s.boards - s.converged);
			},
			digits: 0
		}
	];
}

function rows(idleTargetSockets: number): Row[] {
	return [
		...seedRows('seed', (r) => r.seed),
		{ metric: 'history: client ids per board', pick: (r) => r.history?.clientIds, digits: 0 },
		{ metric: 'history: document bytes', pick: (r) => r.history?.documentBytes, digits: 0 },
		...seedRows('with history', (r) => r.seedWithHistory),
		{
			metric: 'knee: delivered/s with p99 within limit',
			pick: (r) => r.knee?.knee,
			digits: 0,
			target: { text: 'ratio ≥ 0.8', pass: (_t, ratio) => ratio >= 0.8 },
			floor: (results) => results.bare.knee?.lowerBound === true
		},
		{ metric: 'knee: edits/s per client there', pick: (r) => r.knee?.kneeRate, digits: 2 },
		{
			metric: 'knee: a floor only (1 = the generator or the steps ran out first)',
			pick: (r) => r.knee && (r.knee.lowerBound ? 1 : 0),
			digits: 0
		},
		{
			metric: 'idle: RSS per authenticated socket (KiB)',
			pick: (r) => r.idle?.perSocketKb,
			digits: 1,
			target: { text: `TaskFlow ≤ 35 (at ${idleTargetSockets})`, pass: (t) => t <= 35 }
		},
		{ metric: 'idle: server CPU while idle (%)', pick: (r) => r.idle?.idleCpuPercent, digits: 1 },
		{ metric: 'storm: shutdown (ms)', pick: (r) => r.storm?.stopMs, digits: 0 },
		{ metric: 'storm: start (ms)', pick: (r) => r.storm?.startMs, digits: 0 },
		{
			metric: 'storm: resync after restart (ms)',
			pick: (r) => r.storm?.resyncMs,
			digits: 0,
			target: { text: 'ratio ≤ 1.5', pass: (_t, ratio) => ratio <= 1.5 }
		},
		{
			metric: 'storm: resync until all acknowledged (ms)',
			pick: (r) => r.storm?.settledMs,
			digits: 0
		},
		{
			metric: 'storm: server CPU of the resync (ms)',
			pick: (r) => r.storm?.serverCpuMs,
			digits: 0
		},
		{
			metric: 'storm: PostgreSQL CPU of the resync (ms)',
			pick: (r) => r.storm?.databaseCpuMs,
			digits: 0
		},
		{
			metric: 'storm: WAL rows inserted by the resync',
			pick: (r) => r.storm?.walRows,
			digits: 0,
			target: { text: 'TaskFlow = 0', pass: (t) => t === 0 }
		},
		{ metric: 'join: bytes received per join', pick: (r) => r.join?.bytesPerJoin, digits: 0 },
		{
			metric: 'join: server + PostgreSQL CPU per join (ms)',
			pick: (r) => r.join?.cpuMsPerJoin,
			digits: 1
		},
		{ metric: 'join: time per join p50 (ms)', pick: (r) => r.join?.join.p50, digits: 1 },
		{ metric: 'join: cold first join (ms)', pick: (r) => r.join?.coldJoinMs, digits: 0 }
	];
}

export function printSummary(results: Results, options: { idleTargetSockets: number }): void {
	const format = (v: number | null | undefined, digits: number) =>
		v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits);
	if (results.seedPairs && results.seedPairs.length > 1) printSeedPairs(results.seedPairs);
	console.log('\n| metric | TaskFlow | bare Hocuspocus | taskflow/bare | target |');
	console.log('| --- | ---: | ---: | ---: | --- |');
	for (const row of rows(options.idleTargetSockets)) {
		const t = row.pick(results.taskflow);
		const b = row.pick(results.bare);
		if ((t === undefined || t === null) && (b === undefined || b === null)) continue;
		const ratio = typeof t === 'number' && typeof b === 'number' && b !== 0 ? t / b : NaN;
		let verdict = '';
		if (row.target) {
			const known = typeof t === 'number' && !Number.isNaN(t);
			const needsRatio = row.target.text.startsWith('ratio');
			const met = known && row.target.pass(t, ratio);
			if (!known || (needsRatio && Number.isNaN(ratio))) verdict = 'not measured';
			// Against a floor a miss stands, but a pass proves nothing.
			else if (met && row.floor?.(results)) verdict = "bare's figure is only a floor";
			else verdict = met ? 'met' : 'MISSED';
			verdict = `${row.target.text}: ${verdict}`;
		}
		console.log(
			`| ${row.metric} | ${format(t, row.digits)} | ${format(b, row.digits)} | ` +
				`${Number.isNaN(ratio) ? '' : ratio.toFixed(2)} | ${verdict} |`
		);
	}
}
