/**
 * The access log line of a request names the service, the client's user agent and its address,
 * the address taken from ADDRESS_HEADER when a trusted proxy is configured.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../server/app.ts';
import { readConfig } from '../../src/lib/server/config.ts';
import { createLogger } from '../../src/lib/server/log.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// adapter-node reads ADDRESS_HEADER from the environment when its handler is first imported.
const before = process.env.ADDRESS_HEADER;
process.env.ADDRESS_HEADER = 'x-real-ip';

const records: Record<string, unknown>[] = [];
const sink = new Writable({
	write(chunk: Buffer | string, _encoding, done) {
		for (const line of String(chunk).split('\n').filter(Boolean)) records.push(JSON.parse(line));
		done();
	}
});

let db: TestDatabase;
let app: App;

beforeAll(async () => {
	db = await createTestDatabase();
	const config = readConfig({
		DATABASE_URL: db.url,
		PORT: '0',
		HOST: '127.0.0.1',
		LOG_LEVEL: 'info',
		ADDRESS_HEADER: 'x-real-ip'
	});
	app = await startApp({ config, log: createLogger(config, { pretty: false, destination: sink }) });
});

afterAll(async () => {
	await app?.close(5000);
	await db?.drop();
	if (before === undefined) delete process.env.ADDRESS_HEADER;
	else process.env.ADDRESS_HEADER = before;
});

async function requestLine(path: string, headers: Record<string, string>) {
	const response = await fetch(new URL(path, app.url), { headers });
	const id = response.headers.get('x-request-id');
	for (let until = Date.now() + 5000; Date.now() < until;) {
		const line = records.find((r) => r.msg === 'request' && r.requestId === id);
		if (line) return line;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error(`no log line for ${path}`);
}

describe('request log lines', () => {
	it('carry the service, user agent and the address the proxy reported', async () => {
		const line = await requestLine('/health', {
			'user-agent': 'probe/1.0 (test)',
			'x-real-ip': '203.0.113.7'
		});
		expect(line).toMatchObject({
			service: 'taskflow',
			method: 'GET',
			path: '/health',
			status: 200,
			ua: 'probe/1.0 (test)',
			address: '203.0.113.7'
		});
	});

	it('keep a long user agent bounded', async () => {
		const line = await requestLine('/health', {
			'user-agent': 'x'.repeat(5000),
			'x-real-ip': '198.51.100.1'
		});
		expect(line.ua).toHaveLength(256);
		expect(line.address).toBe('198.51.100.1');
	});

	it('never carry a reset link’s token', async () => {
		const token = 'A'.repeat(43);
		const line = await requestLine(`/reset-password/${token}`, { 'x-real-ip': '198.51.100.2' });
		expect(line.path).toBe('/reset-password/[token]');
		expect(JSON.stringify(records)).not.toContain(token);
	});
});
