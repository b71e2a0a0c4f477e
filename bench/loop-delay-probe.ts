/**
 * Preloaded into both benchmark servers (`--import`, through NODE_OPTIONS): their event loop's
 * delay, so a run's latency tail can be told apart into the server's own stalls (a long
 * synchronous task delays every socket) and everything else. On SIGUSR2 it writes the delay
 * since the last signal to `$LOOP_DELAY_DIR/<pid>.json` and starts over; the bench signals
 * once when a run starts and once when it ends (bench/collab-servers.ts, `LoopDelayProbe`).
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.LOOP_DELAY_DIR;
if (dir) {
	const resolutionMs = 10;
	const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
	histogram.enable();
	process.on('SIGUSR2', () => {
		// The histogram holds whole intervals of its timer: the delay is what exceeds one.
		const ms = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
		const report = {
			p50: ms(histogram.percentile(50)),
			p99: ms(histogram.percentile(99)),
			max: ms(histogram.max)
		};
		histogram.reset();
		// Written aside and renamed, so a reader never sees half a file.
		const file = path.join(dir, `${process.pid}.json`);
		writeFileSync(`${file}.tmp`, JSON.stringify(report));
		renameSync(`${file}.tmp`, file);
	});
}
