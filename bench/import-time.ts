/**
 * Importing a 5,000-card Trello board export: from `POST /api/v1/imports` until
 * `GET /api/v1/imports/:id` says done (board, rows, checklists, comments all written), against
 * the production build in a child process with a throwaway database. Run: `vite build`, then
 * `node bench/import-time.ts [runs] [cards]` (needs PostgreSQL on TEST_DATABASE_URL's server).
 * Prints each run's wall time and the upload size, then the median.
 */
import { createTestDatabase } from '../tests/server/support/database.ts';
import { client, signUp } from '../tests/server/support/http.ts';
import { startServerProcess } from '../tests/server/support/process.ts';
import { median } from './stats.ts';

const runs = Number(process.argv[2] ?? 3);
const size = Number(process.argv[3] ?? 5000);

/** A Trello export as Trello writes it: lists, labels, members, cards, checklists, comments. */
function trelloExport(cards: number) {
	const lists = ['Backlog', 'To do', 'Doing', 'Review', 'Done'].map((name, i) => ({
		id: `list-${i}`,
		name,
		closed: false,
		pos: (i + 1) * 16384
	}));
	const labels = ['green', 'yellow', 'orange', 'red', 'purple', 'blue'].map((color, i) => ({
		id: `label-${i}`,
		name: `Label ${i}`,
		color
	}));
	const members = [{ id: 'mem-1', fullName: 'Bench Person', username: 'bench_person' }];
	return {
		name: `Bench import ${cards}`,
		lists,
		labels,
		members,
		cards: Array.from({ length: cards }, (_, i) => ({
			id: `card-${i}`,
			name: `Card ${i}: a realistic title of some length`,
			desc: `Line one of card ${i}\n\nMore **Markdown** text describing the work.`,
			idList: `list-${i % lists.length}`,
			pos: i * 1024,
			closed: i % 50 === 0,
			due: i % 3 === 0 ? '2026-09-01T12:00:00.000Z' : null,
			idLabels: [`label-${i % 6}`, `label-${(i + 1) % 6}`],
			idMembers: i % 4 === 0 ? ['mem-1'] : []
		})),
		checklists: Array.from({ length: Math.floor(cards / 5) }, (_, i) => ({
			id: `checklist-${i}`,
			idCard: `card-${i * 5}`,
			name: 'Steps',
			pos: 1,
			checkItems: [1, 2, 3].map((n) => ({
				id: `item-${i}-${n}`,
				name: `Step ${n}`,
				state: n === 1 ? 'complete' : 'incomplete',
				pos: n
			}))
		})),
		actions: Array.from({ length: Math.floor(cards / 10) }, (_, i) => ({
			id: `action-${i}`,
			type: 'commentCard',
			date: '2026-08-18T08:30:00.000Z',
			memberCreator: { id: 'mem-1', fullName: 'Bench Person', username: 'bench_person' },
			data: { text: `Comment ${i}`, card: { id: `card-${i * 10 + 1}`, name: 'x' } }
		}))
	};
}

const db = await createTestDatabase();
const server = await startServerProcess({ DATABASE_URL: db.url, API_RATE_LIMIT: '1000000' });
try {
	const api = client(server.url);
	const ana = await signUp(api, 'Bench');
	const body = { source: 'trello', data: trelloExport(size) };
	const bytes = JSON.stringify(body).length;
	const times: number[] = [];
	for (let run = 0; run < runs; run++) {
		const started = performance.now();
		const res = await api.post('/api/v1/imports', body, { token: ana.token });
		if (res.status !== 202)
			throw new Error(`import answered ${res.status} ${JSON.stringify(res.body)}`);
		let state = res.body.state as string;
		let last: { state: string; error: string | null; report: unknown } = res.body;
		while (state !== 'done' && state !== 'failed') {
			await new Promise((resolve) => setTimeout(resolve, 100));
			last = (await api.get(`/api/v1/imports/${res.body.id}`, { token: ana.token })).body;
			state = last.state;
		}
		if (state === 'failed') throw new Error(`import failed: ${last.error}`);
		const ms = performance.now() - started;
		times.push(ms);
		console.log(
			`run ${run + 1}: ${(ms / 1000).toFixed(2)} s (${(bytes / 1e6).toFixed(1)} MB upload)`
		);
	}
	console.log(`median import time for ${size} cards: ${(median(times) / 1000).toFixed(2)} s`);
} finally {
	await server.kill();
	await db.drop();
}
