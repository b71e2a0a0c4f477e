/**
 * What board operations and the browser's board view cost on large boards, in process (no
 * server, no database). Run: `node bench/domain-ops.ts [sizes…]` (default 1000 5000). Prints,
 * per board size: the time to create that many cards one by one; median and p95 of each
 * operation over `calls` calls; and the live view's patch per change against a full
 * `readBoard`, measured in the same run as the reference.
 */
import * as Y from 'yjs';
import * as domain from '../src/lib/domain/board/index.ts';
import { percentile } from './stats.ts';

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1000, 5000];
const calls = 100;
const ctx: domain.OpContext = { actorId: 'bench' };
// Absent on commits before the live view, so the same file can measure them as "before".
const liveBoardView = (domain as Partial<typeof domain>).liveBoardView;

function pick<T>(items: readonly T[]): T {
	return items[Math.floor(Math.random() * items.length)] as T;
}

function summary(name: string, samples: number[]): string {
	const sorted = [...samples].sort((x, y) => x - y);
	const median = percentile(sorted, 50).toFixed(3);
	const p95 = percentile(sorted, 95).toFixed(3);
	return `  ${name.padEnd(28)} median ${median.padStart(8)} ms  p95 ${p95.padStart(8)} ms`;
}

function time(operation: () => void): number {
	const start = performance.now();
	operation();
	return performance.now() - start;
}

/** A board with `size` cards spread over the three default columns, created one by one. */
function buildBoard(size: number): { doc: Y.Doc; columnIds: string[]; ms: number } {
	const doc = new Y.Doc();
	domain.initBoard(doc, { title: 'Bench' }, ctx);
	const columnIds = domain.readBoard(doc).columns.map((column) => column.id);
	const ms = time(() => {
		for (let i = 0; i < size; i++) {
			domain.createTask(doc, { columnId: columnIds[i % 3] as string, title: `Card ${i}` }, ctx);
		}
	});
	return { doc, columnIds, ms };
}

function liveIds(doc: Y.Doc): string[] {
	return domain.readBoard(doc).columns.flatMap((column) => column.tasks.map((task) => task.id));
}

/** One random change of each kind, as a user would make it. */
function operations(doc: Y.Doc, columnIds: string[]): [string, () => void][] {
	const ids = liveIds(doc);
	let n = 0;
	return [
		[
			'createTask',
			() => void domain.createTask(doc, { columnId: pick(columnIds), title: 'New' }, ctx)
		],
		['moveTask', () => domain.moveTask(doc, { taskId: pick(ids), columnId: pick(columnIds) }, ctx)],
		['updateTask', () => domain.updateTask(doc, { taskId: pick(ids), title: `T ${++n}` }, ctx)],
		[
			'editDescription',
			() =>
				domain.editDescription(
					doc,
					{ taskId: pick(ids), index: 0, deleteCount: 0, insert: 'x' },
					ctx
				)
		],
		[
			'deleteTask',
			() => {
				const taskId = ids.splice(Math.floor(Math.random() * ids.length), 1)[0] as string;
				domain.deleteTask(doc, { taskId }, ctx);
			}
		]
	];
}

for (const size of sizes) {
	const { doc, columnIds, ms } = buildBoard(size);
	console.log(`${size} cards`);
	console.log(
		`  create ${size} cards one by one: ${ms.toFixed(0)} ms (${(ms / size).toFixed(3)} ms/card)`
	);
	for (const [name, operation] of operations(doc, columnIds)) {
		const samples = Array.from({ length: calls }, () => time(operation));
		console.log(summary(name, samples));
	}
	const full = Array.from({ length: 20 }, () => time(() => domain.readBoard(doc)));
	console.log(summary('readBoard (reference)', full));
	if (!liveBoardView) continue;
	// Listeners run in the order they were added: the column index's (added by the first
	// operation), then these two around the view's patch.
	let start = 0;
	const patches: number[] = [];
	doc.on('afterTransaction', () => (start = performance.now()));
	liveBoardView(doc);
	doc.on('afterTransaction', () => patches.push(performance.now() - start));
	for (const [name, operation] of operations(doc, columnIds)) {
		patches.length = 0;
		for (let i = 0; i < calls; i++) operation();
		console.log(summary(`view patch: ${name}`, patches));
	}
	if (JSON.stringify(liveBoardView(doc)) !== JSON.stringify(domain.readBoard(doc))) {
		throw new Error('The live view differs from readBoard.');
	}
}
process.exit(0);
