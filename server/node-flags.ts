/**
 * The Node flags the production server runs with, for the memory the process sees. They cannot
 * be set from inside the process (V8 sizes its heap when the isolate is created), so whatever
 * starts `server/index.ts` passes them on its command line: the Dockerfile's CMD and `npm start`
 * through `node server/node-flags.ts` (which prints them; run without NODE_OPTIONS, so
 * nothing preloaded prints into the command), the tests' and the benchmarks' server
 * processes through `serverNodeFlags()`. tests/server/node-flags.test.ts keeps those in step.
 *
 * `--max-semi-space-size=32` caps the young generation at 32 MB a semi-space. V8 sizes it from
 * the memory it sees (the container's limit where there is one): Node runs V8 without pointer
 * compression, and from 15 GiB V8 takes 64 MB a semi-space (134 MB of new space); a burst
 * of connections or edits grows the young generation to that and it stays committed. On a
 * 23 GiB machine 5,000 idle sockets cost 45.5 KiB each, most of it that growth; at 32 MB, 29.5
 * KiB (docs/performance.md, "Young generation"). Under load it doubles the scavenges, which
 * twelve alternating seed pairs per setting could not tell from the spread between runs (CPU
 * ratio 1.42x against 1.39x at 64 MB, "Eleventh pass"). Below 8 GiB V8's own choice is 32 MB
 * or less, and the flag would raise it (a 1 GiB pod gets 8 MB), so it is passed only from
 * 8 GiB up: it only ever lowers the cap.
 */
import { totalmem } from 'node:os';

const gib = 1024 ** 3;

/** Memory the process may use: the container's limit where one is set, otherwise the machine's. */
function visibleMemory(): number {
	const limit = process.constrainedMemory();
	const total = totalmem();
	return limit > 0 && limit < total ? limit : total;
}

export function serverNodeFlags(memoryBytes = visibleMemory()): string[] {
	return memoryBytes >= 8 * gib ? ['--max-semi-space-size=32'] : [];
}

// For launchers that are shell commands (Dockerfile, package.json `start`).
if (import.meta.main) process.stdout.write(serverNodeFlags().join(' '));
