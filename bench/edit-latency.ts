/**
 * Edit-to-arrival latency between two live clients on one board, with the write-ahead log on
 * and off. Run: `node bench/edit-latency.ts [edits]` (needs PostgreSQL; uses a throwaway
 * database on TEST_DATABASE_URL's server). Prints medians and p99 per mode.
 */
import { percentile } from './stats.ts';
import { timeEdits } from './support.ts';

const edits = Number(process.argv[2] ?? 1000);

async function measure(wal: boolean): Promise<number[]> {
	const { arrival } = await timeEdits({ WAL: wal ? 'on' : 'off' }, edits, { awaitAck: false });
	return arrival.sort((x, y) => x - y);
}

const results: Record<string, number[]> = {};
for (const wal of [true, false, true, false]) {
	const key = wal ? 'wal on' : 'wal off';
	results[key] = [...(results[key] ?? []), ...(await measure(wal))].sort((x, y) => x - y);
}
console.log(`edit -> arrival in another client, ${edits} edits x 2 runs per mode (ms)`);
for (const [mode, s] of Object.entries(results)) {
	console.log(
		`${mode.padEnd(8)} median ${percentile(s, 50).toFixed(2)}  p90 ${percentile(s, 90).toFixed(2)}  p99 ${percentile(s, 99).toFixed(2)}  max ${s.at(-1)!.toFixed(2)}`
	);
}
const on = percentile(results['wal on']!, 50);
const off = percentile(results['wal off']!, 50);
console.log(
	`median cost of the write-ahead log: +${(on - off).toFixed(2)} ms (${(on / off).toFixed(2)}x)`
);
process.exit(0);
