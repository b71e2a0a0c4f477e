/**
 * Prometheus metrics: `/metrics` is never public (404 when unconfigured, 401 without the token,
 * only on METRICS_PORT when that is set), the exposition parses as the text format with the
 * names, types and labels we document, and each counter moves when its action happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../../src/lib/domain/board/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { parseExposition, type Family } from './support/prometheus.ts';

const token = 'test-metrics-token-0123456789';
let t: TestApp;
let api: Client;
let ana: TestUser;

beforeAll(async () => {
	t = await startTestApp({ METRICS_TOKEN: token, LOGIN_MAX_PER_ACCOUNT: '2' });
	api = client(t.url);
	await signUp(api, 'Admin');
	ana = await signUp(api, 'Ana');
});
afterAll(async () => {
	await t?.stop();
});

async function scrape(url = t.url, bearer: string | null = token): Promise<Map<string, Family>> {
	const res = await fetch(`${url}/metrics`, {
		headers: bearer ? { authorization: `Bearer ${bearer}` } : {}
	});
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
	return parseExposition(await res.text());
}

/** The value of one sample (0 when the series does not exist yet). */
function value(families: Map<string, Family>, sample: string, labels: Record<string, string> = {}) {
	const family = [...families.values()].find((f) => f.samples.some((s) => s.name === sample));
	const found = family?.samples.find(
		(s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
	);
	return found?.value ?? 0;
}

/** Polls the scrape until `check` holds (gauges read from the database are cached for 5 s). */
async function eventually(check: (families: Map<string, Family>) => boolean, what: string) {
	const deadline = Date.now() + 9000;
	for (;;) {
		const families = await scrape();
		if (check(families)) return families;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe('GET /metrics access', () => {
	it('refuses a scrape without the token, or with a wrong one, with 401', async () => {
		const none = await fetch(`${t.url}/metrics`);
		expect(none.status).toBe(401);
		expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
		const wrong = await fetch(`${t.url}/metrics`, {
			headers: { authorization: `Bearer ${token}x` }
		});
		expect(wrong.status).toBe(401);
		const session = await fetch(`${t.url}/metrics`, {
			headers: { authorization: `Bearer ${ana.token}` }
		});
		expect(session.status).toBe(401);
		expect(t.app.metricsUrl).toBeNull();
	});

	it('is off (404) when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
		const off = await startTestApp({}, t.db);
		try {
			expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
			expect(
				(await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${token}` } }))
					.status
			).toBe(404);
			expect(off.app.metricsUrl).toBeNull();
			expect(off.app.runtime.ctx.metrics).toBeNull();
		} finally {
			await off.stop();
		}
	});

	it('with METRICS_PORT, serves /metrics only there (and still wants the token if set)', async () => {
		const separate = await startTestApp({ METRICS_PORT: '0', METRICS_TOKEN: token }, t.db);
		try {
			const metricsUrl = separate.app.metricsUrl!;
			expect(metricsUrl).not.toBe(separate.url);
			const onApp = await fetch(`${separate.url}/metrics`, {
				headers: { authorization: `Bearer ${token}` }
			});
			expect(onApp.status).toBe(404);
			expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(401);
			expect((await fetch(`${metricsUrl}/`)).status).toBe(404);
			const families = await scrape(metricsUrl);
			expect(families.get('taskflow_http_request_duration_seconds')?.type).toBe('histogram');
		} finally {
			await separate.stop();
		}
		const portOnly = await startTestApp({ METRICS_PORT: '0', API_RATE_LIMIT: '2' }, t.db);
		try {
			expect((await fetch(`${portOnly.url}/metrics`)).status).toBe(404);
			const limited = { limit: 'api' };
			const rejections = 'taskflow_rate_limit_rejections_total';
			expect(value(await scrape(portOnly.app.metricsUrl!, null), rejections, limited)).toBe(0);
			const statuses = [];
			for (let i = 0; i < 3; i++) statuses.push((await fetch(`${portOnly.url}/api/v1/me`)).status);
			expect(statuses).toEqual([401, 401, 429]);
			expect(value(await scrape(portOnly.app.metricsUrl!, null), rejections, limited)).toBe(1);
		} finally {
			await portOnly.stop();
		}
	});
});

describe('the exposition', () => {
	it('parses, with the documented names, types and labels', async () => {
		await api.get('/api/v1/me', { token: ana.token });
		const families = await scrape();
		const types: Record<string, string> = {
			process_cpu_seconds_total: 'counter',
			process_resident_memory_bytes: 'gauge',
			nodejs_eventloop_lag_seconds: 'gauge',
			nodejs_heap_size_used_bytes: 'gauge',
			taskflow_http_request_duration_seconds: 'histogram',
			taskflow_websocket_connections: 'gauge',
			taskflow_websocket_authenticated_connections: 'gauge',
			taskflow_boards_loaded: 'gauge',
			taskflow_board_updates_received_total: 'counter',
			taskflow_board_updates_fanned_out_total: 'counter',
			taskflow_wal_commit_duration_seconds: 'histogram',
			taskflow_wal_batch_size: 'histogram',
			taskflow_board_store_duration_seconds: 'histogram',
			taskflow_event_outbox_depth: 'gauge',
			taskflow_event_relay_lag_seconds: 'gauge',
			taskflow_event_log_write_errors_total: 'counter',
			taskflow_events_delivered_total: 'counter',
			taskflow_rate_limit_rejections_total: 'counter',
			taskflow_login_throttled_total: 'counter',
			taskflow_tasks_created_total: 'counter',
			taskflow_tasks_completed_total: 'counter',
			taskflow_tasks_overdue: 'gauge',
			taskflow_daily_active_users: 'gauge',
			taskflow_weekly_active_users: 'gauge'
		};
		for (const [name, type] of Object.entries(types)) {
			expect(families.get(name)?.type, name).toBe(type);
			expect(families.get(name)?.help, name).toBeTruthy();
		}
		const http = families.get('taskflow_http_request_duration_seconds')!;
		const me = http.samples.filter(
			(s) => s.labels.route === '/api/v1/me' && s.labels.method === 'GET'
		);
		expect(new Set(me.map((s) => s.name))).toEqual(
			new Set([
				'taskflow_http_request_duration_seconds_bucket',
				'taskflow_http_request_duration_seconds_sum',
				'taskflow_http_request_duration_seconds_count'
			])
		);
		for (const s of http.samples) {
			expect(
				Object.keys(s.labels)
					.filter((k) => k !== 'le')
					.sort()
			).toEqual(['method', 'route', 'status_class']);
			expect(s.labels.status_class).toMatch(/^[1-5]xx$/);
		}
		expect(me.find((s) => s.labels.le === '+Inf')?.value).toBe(
			me.find((s) => s.name.endsWith('_count'))?.value
		);
		const received = families.get('taskflow_board_updates_received_total')!;
		expect(new Set(received.samples.map((s) => s.labels.source))).toEqual(
			new Set(['websocket', 'api', 'redis'])
		);
	});
});

describe('counters move with their actions', () => {
	it('an HTTP request counts under its route template, never its path', async () => {
		const board = await createBoard(api, ana);
		const labels = { method: 'GET', route: '/api/v1/boards/[id]/tasks', status_class: '2xx' };
		const count = 'taskflow_http_request_duration_seconds_count';
		const before = value(await scrape(), count, labels);
		expect((await api.get(`/api/v1/boards/${board.id}/tasks`, { token: ana.token })).status).toBe(
			200
		);
		const families = await scrape();
		expect(value(families, count, labels)).toBe(before + 1);
		const routes = families
			.get('taskflow_http_request_duration_seconds')!
			.samples.map((s) => s.labels.route ?? '');
		expect(routes.some((route) => route.includes(board.id))).toBe(false);
		const missing = await fetch(`${t.url}/no/such/${board.id}`);
		expect(missing.status).toBe(404);
		expect(
			value(await scrape(), count, { method: 'GET', route: 'unmatched', status_class: '4xx' })
		).toBeGreaterThanOrEqual(1);
	});

	it('an API task creation and completion count as created, completed and an api update', async () => {
		const board = await createBoard(api, ana);
		const columns = (await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token })).body
			.items as { id: string; category: string }[];
		const done = columns.find((c) => c.category === 'done')!;
		const before = await scrape();
		const created = await api.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: 'Counted', dueDate: '2020-01-01' },
			{ token: ana.token }
		);
		expect(created.status).toBe(201);
		let after = await scrape();
		expect(value(after, 'taskflow_tasks_created_total')).toBe(
			value(before, 'taskflow_tasks_created_total') + 1
		);
		expect(value(after, 'taskflow_board_updates_received_total', { source: 'api' })).toBe(
			value(before, 'taskflow_board_updates_received_total', { source: 'api' }) + 1
		);
		await eventually(
			(f) => value(f, 'taskflow_tasks_overdue') === 1,
			'the overdue card to be counted'
		);
		const moved = await api.post(
			`/api/v1/tasks/${created.body.id}/move`,
			{ columnId: done.id },
			{ token: ana.token }
		);
		expect(moved.status).toBe(200);
		after = await scrape();
		expect(value(after, 'taskflow_tasks_completed_total')).toBe(
			value(before, 'taskflow_tasks_completed_total') + 1
		);
		// Done cards are not overdue.
		await eventually((f) => value(f, 'taskflow_tasks_overdue') === 0, 'the done card to drop out');
	});

	it('a websocket edit counts as received, fanned out, created and a WAL commit', async () => {
		const board = await createBoard(api, ana);
		const columns = (await api.get(`/api/v1/boards/${board.id}/columns`, { token: ana.token })).body
			.items as { id: string }[];
		const browser = connect(t.url, board.id, { token: ana.token });
		try {
			expect(await browser.ready).toBe(true);
			const live = await scrape();
			expect(value(live, 'taskflow_websocket_connections')).toBeGreaterThanOrEqual(1);
			expect(value(live, 'taskflow_websocket_authenticated_connections')).toBeGreaterThanOrEqual(1);
			expect(value(live, 'taskflow_boards_loaded')).toBeGreaterThanOrEqual(1);
			const ws = { source: 'websocket' };
			const received = value(live, 'taskflow_board_updates_received_total', ws);
			const fanned = value(live, 'taskflow_board_updates_fanned_out_total');
			const createdTotal = value(live, 'taskflow_tasks_created_total');
			const commits = value(live, 'taskflow_wal_commit_duration_seconds_count');
			const batched = value(live, 'taskflow_wal_batch_size_sum');
			createTask(browser.doc, { columnId: columns[0]!.id, title: 'typed' }, { actorId: ana.id });
			await waitFor(() => browser.provider.unsyncedChanges === 0, 5000, 'the acknowledgement');
			const after = await scrape();
			expect(value(after, 'taskflow_board_updates_received_total', ws)).toBe(received + 1);
			expect(value(after, 'taskflow_board_updates_fanned_out_total')).toBeGreaterThanOrEqual(
				fanned + 1
			);
			expect(value(after, 'taskflow_tasks_created_total')).toBe(createdTotal + 1);
			expect(value(after, 'taskflow_wal_commit_duration_seconds_count')).toBe(commits + 1);
			expect(value(after, 'taskflow_wal_batch_size_sum')).toBe(batched + 1);
		} finally {
			browser.destroy();
		}
		await eventually(
			(f) => value(f, 'taskflow_websocket_connections') === 0,
			'the socket to be counted closed'
		);
	});

	it('a throttled login counts once per refusal', async () => {
		const throttled = 'taskflow_login_throttled_total';
		const before = value(await scrape(), throttled);
		const attempt = () =>
			api.post('/api/v1/auth/login', { email: ana.email, password: 'not the password' });
		expect((await attempt()).status).toBe(401);
		expect((await attempt()).status).toBe(401);
		expect(value(await scrape(), throttled)).toBe(before);
		expect((await attempt()).status).toBe(429);
		expect(value(await scrape(), throttled)).toBe(before + 1);
	});

	it('times board stores and counts events delivered until the outbox is empty', async () => {
		await eventually(
			(f) =>
				value(f, 'taskflow_board_store_duration_seconds_count', { outcome: 'ok' }) >= 1 &&
				value(f, 'taskflow_events_delivered_total') >= 1 &&
				value(f, 'taskflow_event_outbox_depth') === 0 &&
				value(f, 'taskflow_event_relay_lag_seconds') === 0 &&
				value(f, 'taskflow_event_log_write_errors_total') === 0,
			'stores and deliveries'
		);
	});

	it('counts active users from their requests', async () => {
		await api.get('/api/v1/me', { token: ana.token });
		await eventually(
			(f) =>
				value(f, 'taskflow_daily_active_users') >= 1 &&
				value(f, 'taskflow_weekly_active_users') >= value(f, 'taskflow_daily_active_users'),
			'an active user'
		);
	});
});
