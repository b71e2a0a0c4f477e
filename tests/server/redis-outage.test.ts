/**
 * Redis goes away under two instances serving one board, and comes back, first to one
 * instance, then to the other (each reaches Redis through its own cuttable proxy). Meanwhile
 * the instances keep acknowledging their clients' edits (the log is in PostgreSQL, not Redis)
 * and answering the API (limits counted in memory; readiness reports Redis down but stays
 * ready), stores go on without Redis's lock, and a board nobody had open still opens; once
 * both are back, the clients converge without anyone editing again. The order is what used to lose the edit for good: the instance
 * that reconnected first announced its outage edit while the other was still cut off, and
 * nothing announced the board again. The log tells the outage in two structured lines per
 * instance (lost, back) instead of ioredis's raw "Unhandled error event" trace for every failed
 * reconnection of every connection. And an instance started while Redis is down starts, serves
 * and joins the others once it is back (it used to exit).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask, readBoard, updateTask } from '../../src/lib/domain/board/index.ts';
import { createSql, type Sql } from '../../src/lib/server/db/client.ts';
import { testRedisUrl } from './support/app.ts';
import { connect, waitFor, type TestProvider } from './support/collab.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { client, createBoard, signUp, testPassword, type TestUser } from './support/http.ts';
import { startServerProcess, type ServerProcess } from './support/process.ts';
import { eventually } from './support/notifications.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

let db: TestDatabase;
let proxyOne: TcpProxy;
let proxyTwo: TcpProxy;
let one: ServerProcess;
let two: ServerProcess;
let ana: TestUser;
let sql: Sql;
let watcher: Redis;
const open: TestProvider[] = [];
const metricsToken = 'outage-test-metrics-token';
beforeAll(async () => {
	const redis = new URL(testRedisUrl);
	const target = [redis.hostname, Number(redis.port || 6379)] as const;
	proxyOne = await startTcpProxy(...target);
	proxyTwo = await startTcpProxy(...target);
	db = await createTestDatabase();
	sql = createSql({ url: db.url, max: 1 });
	watcher = new Redis(testRedisUrl, { lazyConnect: true });
	const via = (proxy: TcpProxy) => ({
		DATABASE_URL: db.url,
		REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
		// The test Redis counts every test file's requests from 127.0.0.1 under one key.
		API_RATE_LIMIT: '1000000',
		METRICS_TOKEN: metricsToken
	});
	one = await startServerProcess(via(proxyOne));
	two = await startServerProcess(via(proxyTwo));
	ana = await signUp(client(one.url), 'Ana');
});
afterAll(async () => {
	for (const p of open) p.destroy();
	await Promise.all([one?.kill('SIGKILL'), two?.kill('SIGKILL')]);
	await sql?.end();
	watcher?.disconnect();
	await proxyOne?.close();
	await proxyTwo?.close();
	await db?.drop();
});

const lost = 'Redis unreachable';
const back = 'Redis reachable again';
const count = (server: ServerProcess, text: string) =>
	server.output.join('').split(text).length - 1;
const titles = (p: TestProvider) =>
	readBoard(p.doc)
		.columns.flatMap((c) => c.tasks.map((t) => t.title))
		.sort()
		.join(',');

/** A new board open on two instances, one synced client on each. */
async function boardOn(title: string, first: string, second: string) {
	const board = await createBoard(client(first), ana, title);
	const pair = [first, second].map((url) => connect(url, board.id, { token: ana.token }));
	open.push(...pair);
	for (const p of pair) expect(await p.ready).toBe(true);
	return { board, near: pair[0]!, far: pair[1]! };
}

/** Board documents loaded on an instance, from its metrics. */
async function boardsLoaded(server: ServerProcess): Promise<number> {
	const res = await fetch(`${server.url}/metrics`, {
		headers: { authorization: `Bearer ${metricsToken}` }
	});
	const sample = /^taskflow_boards_loaded (\d+)$/m.exec(await res.text());
	return Number(sample?.[1] ?? NaN);
}

/** Closes the only client of a board on instance one and waits until one has unloaded it. */
async function closeOnOne(p: TestProvider, loadedAfter: number): Promise<void> {
	p.destroy();
	await eventually(
		() => boardsLoaded(one),
		(n) => n === loadedAfter,
		'one to unload it',
		20_000
	);
}

/** Instances subscribed to a board's channel, as Redis counts them. */
async function subscribers(boardId: string): Promise<number> {
	const [, count] = (await watcher.pubsub('NUMSUB', `tf:collab:board:${boardId}`)) as [
		string,
		number
	];
	return Number(count);
}

/** A card in the board's first column; its id. */
const addCard = (p: TestProvider, title: string) =>
	createTask(p.doc, { columnId: readBoard(p.doc).columns[0]!.id, title }, { actorId: ana.id });

describe('a Redis outage under two instances', () => {
	it('keeps both serving sockets and the API, logs it once each way, and the board converges after', async () => {
		const { board, near: a, far: b } = await boardOn('Shared', one.url, two.url);
		// Open on A alone until the outage, then closed during it.
		const quiet = await createBoard(client(one.url), ana, 'Quiet');
		const reader = connect(one.url, quiet.id, { token: ana.token });
		expect(await reader.ready).toBe(true);
		await eventually(
			() => subscribers(quiet.id),
			(n) => n === 1,
			'A to subscribe it'
		);
		const first = addCard(a, 'one');
		addCard(a, 'two');
		await waitFor(() => titles(b) === 'one,two', 10_000, 'the second instance to see both cards');

		// A failed login before the outage is counted in Redis; the login that succeeds during it
		// must clear it there too, once Redis is back.
		const failures = `tf:counter:login:account:${ana.email.toLowerCase()}`;
		const login = (password: string) =>
			client(one.url).post('/api/v1/auth/login', { email: ana.email, password });
		expect((await login('not the password')).status).toBe(401);
		expect(await watcher.get(failures)).toBe('1');

		await Promise.all([proxyOne.cut(), proxyTwo.cut()]);
		for (const server of [one, two]) {
			await waitFor(() => count(server, lost) > 0, 20_000, 'each instance to notice');
		}
		updateTask(a.doc, { taskId: first, title: 'one on A' }, { actorId: ana.id });
		await waitFor(() => a.provider.unsyncedChanges === 0, 20_000, 'the edit acknowledged');
		expect(titles(b)).toBe('one,two');

		// The API keeps answering: limits are counted in the instance's memory meanwhile, and
		// readiness reports Redis down without taking the instance out of rotation.
		const api = client(one.url);
		const me = await api.get('/api/v1/me', { token: ana.token });
		expect(me.status).toBe(200);
		expect(me.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
		const bo = await signUp(api, 'Bo'); // signs up and logs in: the login throttle counts
		expect((await login(testPassword)).status).toBe(200);
		expect(bo.token).toBeTruthy();
		const ready = await api.get('/health/ready');
		expect(ready.status).toBe(200);
		expect(ready.body.checks.redis.status).toBe('down');

		// Stores go on without Redis's store lock: the outage's edit leaves the log for the snapshot.
		const logged = async () =>
			(
				await sql<{ n: number }[]>`
				select count(*)::int as n from board_updates where board_id = ${board.id}`
			)[0]!.n;
		await eventually(logged, (rows) => rows === 0, 'the board to be stored', 20_000);

		// A board nobody had open opens on both instances, each alone for now.
		const { near: c, far: d } = await boardOn('Opened during the outage', one.url, two.url);
		addCard(c, 'made on A');
		await waitFor(() => c.provider.unsyncedChanges === 0, 20_000, 'the new card acknowledged');
		expect(titles(d)).toBe('');

		// Boards closed on A during the outage leave no channel behind: subscribed when Redis is
		// back, a channel would make A look like a holder of its board, and a peer opening the
		// board later would wait for A's answer. One was open since before the outage: its
		// UNSUBSCRIBE waits in ioredis's offline queue until ioredis gives up on it.
		const refused = () => count(one, 'MaxRetriesPerRequestError');
		const refusedBefore = refused();
		const loaded = await boardsLoaded(one);
		await closeOnOne(reader, loaded - 1);
		await waitFor(() => refused() > refusedBefore, 20_000, 'the UNSUBSCRIBE to be refused');
		// The other is opened and closed within the outage.
		const brief = await createBoard(client(one.url), ana, 'Closed during the outage');
		const visit = connect(one.url, brief.id, { token: ana.token });
		expect(await visit.ready).toBe(true);
		expect(await boardsLoaded(one)).toBe(loaded);
		await closeOnOne(visit, loaded - 1);

		// A first: whatever it announces now, B cannot hear; B, which changed nothing, has nothing
		// of its own to announce.
		await proxyOne.restore();
		await waitFor(() => count(one, back) > 0, 20_000, 'the first instance to be back');
		await proxyTwo.restore();
		await waitFor(() => count(two, back) > 0, 20_000, 'the second instance to be back');
		await waitFor(
			() => titles(a) === 'one on A,two' && titles(b) === 'one on A,two',
			20_000,
			'both clients to converge with no further edit'
		);
		await waitFor(
			() => titles(d) === 'made on A',
			20_000,
			'the board opened meanwhile to converge'
		);

		// Both subscribed the board opened during the outage again, in the same SUBSCRIBE that
		// would have carried the closed board's channel too.
		const during = (
			await sql<{ id: string }[]>`
			select id from boards where title = 'Opened during the outage'`
		)[0]!.id;
		await eventually(
			() => subscribers(during),
			(n) => n === 2,
			'both to subscribe again',
			20_000
		);
		expect(await subscribers(brief.id)).toBe(0);
		expect(await subscribers(quiet.id)).toBe(0);

		const readyAgain = await client(one.url).get('/health/ready');
		expect(readyAgain.body.checks.redis.status).toBe('up');
		await eventually(
			() => watcher.exists(failures),
			(n) => n === 0,
			'the failed login to be cleared in Redis'
		);

		for (const server of [one, two]) {
			const output = server.output.join('');
			expect(count(server, lost)).toBe(1);
			expect(count(server, back)).toBe(1);
			expect(output).not.toContain('Unhandled error event');
			expect(output).not.toContain('[onStoreDocument]');
		}
	});

	it('lets an instance start without Redis, serve, and join the others once it is back', async () => {
		const redis = new URL(testRedisUrl);
		const proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
		await proxy.refuse();
		let three: ServerProcess | null = null;
		try {
			three = await startServerProcess({
				DATABASE_URL: db.url,
				REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
				API_RATE_LIMIT: '1000000'
			});
			const api = client(three.url);
			expect((await api.get('/api/v1/me', { token: ana.token })).status).toBe(200);
			const { near: here, far: there } = await boardOn('Started without Redis', three.url, one.url);
			addCard(here, 'made before Redis');
			await waitFor(() => here.provider.unsyncedChanges === 0, 20_000, 'the card acknowledged');
			expect(titles(there)).toBe('');
			// Long enough for ioredis to give up the commands queued at the start (the collab
			// connections try three times): each of the nine connections refused four times.
			await waitFor(() => proxy.refused >= 36, 20_000, 'the connections to retry');

			await proxy.restore();
			await waitFor(() => count(three!, back) > 0, 20_000, 'the instance to reach Redis');
			await waitFor(() => titles(there) === 'made before Redis', 20_000, 'the other to see it');

			// A board opened on it now is kept in step with the other instance as usual.
			const later = await boardOn('Opened after Redis came back', three.url, one.url);
			const mine = later.near;
			addCard(later.far, 'made on the other');
			await waitFor(() => titles(mine) === 'made on the other', 20_000, 'the card to arrive');
			expect(three.output.join('')).not.toContain('Unhandled error event');
		} finally {
			await three?.kill('SIGKILL');
			await proxy.close();
		}
	});
});
