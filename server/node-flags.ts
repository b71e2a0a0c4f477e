/**
 * The Node flags the production server runs with. Whatever starts `server/index.ts` passes them
 * on its command line — the Dockerfile's CMD, `npm start` (package.json), the tests' and the
 * benchmarks' server processes — and tests/server/node-flags.test.ts keeps those in step. They
 * cannot be set from inside the process: V8 sizes its heap when the isolate is created.
 *
 * `--max-semi-space-size=32` caps the young generation at 32 MB a semi-space. Node runs V8
 * without pointer compression, for which V8 doubles its own cap to 64 MB a semi-space (134 MB
 * of new space). A burst of connections or edits grows the young generation to that cap, and it
 * stays committed afterwards: 5,000 idle sockets cost 45.5 KiB each, most of it that growth, not
 * the sockets; at 32 MB, 29.5 KiB. CPU at the seed load did not move beyond the runs' own spread
 * (docs/performance.md, "Young generation").
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=32'];
