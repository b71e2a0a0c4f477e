import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { endpoint, json } from './endpoint.ts';

/** What `endpoint` reads of a request: its method, its path and the request's logger. */
function eventFor(method: string): { event: RequestEvent; warnings: string[] } {
	const warnings: string[] = [];
	const log = { warn: (_: unknown, message: string) => warnings.push(message), error: () => {} };
	const event = {
		request: new Request('http://localhost/api/v1/boards', { method }),
		url: new URL('http://localhost/api/v1/boards'),
		locals: { log, requestId: 'r-1' }
	} as unknown as RequestEvent;
	return { event, warnings };
}

/** What postgres.js rejects a statement with when its backend is terminated. */
const connectionLost = () =>
	Object.assign(new Error('terminating connection due to administrator command'), {
		name: 'PostgresError',
		code: '57P01'
	});

describe('endpoint and a database out of reach', () => {
	it('runs a read once more, and answers it when the second try reaches the database', async () => {
		let calls = 0;
		const handler = endpoint(async () => {
			if (++calls === 1) throw connectionLost();
			return json({ ok: true });
		});
		const response = await handler(eventFor('GET').event);
		expect(calls).toBe(2);
		expect(response.status).toBe(200);
	});

	it('answers 503 with Retry-After when the second try fails too', async () => {
		let calls = 0;
		const { event, warnings } = eventFor('GET');
		const response = await endpoint(async () => {
			calls++;
			throw connectionLost();
		})(event);
		expect(calls).toBe(2);
		expect(response.status).toBe(503);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect(response.headers.get('retry-after')).toBe('1');
		expect(await response.json()).toMatchObject({ status: 503, instance: '/api/v1/boards' });
		expect(warnings).toEqual(['database unavailable']);
	});

	it('never repeats a write: it may have been carried out', async () => {
		let calls = 0;
		const response = await endpoint(async () => {
			calls++;
			throw connectionLost();
		})(eventFor('POST').event);
		expect(calls).toBe(1);
		expect(response.status).toBe(503);
	});

	it('leaves other database errors a 500, tried once', async () => {
		let calls = 0;
		const response = await endpoint(async () => {
			calls++;
			throw Object.assign(new Error('duplicate key'), { code: '23505' });
		})(eventFor('GET').event);
		expect(calls).toBe(1);
		expect(response.status).toBe(500);
	});
});
