/**
 * Response time of `GET /api/v1/admin/users` with 10,000 accounts (inserted with one SQL
 * statement, created over the past year, a fifth of them owning a board): the first page, a
 * later page by cursor, a search that matches about 1% of accounts, and a search that matches
 * none (the worst case: every row is read). Sequential requests from one admin against the built
 * app in this process on a throwaway database. Run: `vite build`, then
 * `node bench/admin-users.ts [requests per scenario] [accounts]`. Prints p50/p95/max in ms.
 */
import postgres from 'postgres';
import { startTestApp } from '../tests/server/support/app.ts';
import { client, signUp } from '../tests/server/support/http.ts';
import { percentile } from './stats.ts';

const requests = Number(process.argv[2] ?? 300);
const accounts = Number(process.argv[3] ?? 10_000);

const t = await startTestApp({ API_RATE_LIMIT: '1000000' });
const sql = postgres(t.db.url, { max: 1, onnotice: () => {} });
try {
	const api = client(t.url);
	const admin = await signUp(api, 'Bench Admin');
	await sql`
		with made as (
			insert into users (email, password_hash, display_name, created_at, last_active_at)
			select 'user' || n || '@example.com', 'x', 'User ' || n,
				now() - n * interval '52 minutes', now() - n * interval '3 minutes'
			from generate_series(1, ${accounts}) n
			returning id, created_at
		), owned as (
			insert into boards (title, owner_id)
			select 'Board of ' || id, id from made where extract(minute from created_at)::int % 5 = 0
			returning id, owner_id
		)
		insert into board_members (board_id, user_id, role) select id, owner_id, 'owner' from owned`;
	await sql`analyze users`;
	await sql`analyze board_members`;

	const second = await api.get('/api/v1/admin/users', { token: admin.token });
	const scenarios: Record<string, string> = {
		'first page (50)': '/api/v1/admin/users',
		'first page (200)': '/api/v1/admin/users?limit=200',
		'second page (50)': `/api/v1/admin/users?cursor=${second.body.nextCursor}`,
		'search ~1% ("user 12")': '/api/v1/admin/users?q=user%2012',
		'search, no match': '/api/v1/admin/users?q=nobody-by-this-name'
	};
	const headers = { authorization: `Bearer ${admin.token}` };
	console.log(
		`GET /api/v1/admin/users, ${accounts} accounts, ${requests} sequential requests each`
	);
	for (const [name, path] of Object.entries(scenarios)) {
		// Plain fetch: the test client's response checks would be measured too.
		for (let i = 0; i < 20; i++) await (await fetch(new URL(path, t.url), { headers })).text();
		const times: number[] = [];
		let items = 0;
		for (let i = 0; i < requests; i++) {
			const started = performance.now();
			const res = await fetch(new URL(path, t.url), { headers });
			const body = (await res.json()) as { items: unknown[] };
			times.push(performance.now() - started);
			if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
			items = body.items.length;
		}
		times.sort((a, b) => a - b);
		const fmt = (v: number) => v.toFixed(1).padStart(6);
		console.log(
			`${name.padEnd(26)} items ${String(items).padStart(3)}  p50 ${fmt(percentile(times, 50))}  p95 ${fmt(percentile(times, 95))}  max ${fmt(times.at(-1)!)} ms`
		);
	}
} finally {
	await sql.end();
	await t.stop();
}
