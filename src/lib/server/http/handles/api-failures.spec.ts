import { redirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { apiFailures } from './api-failures.ts';

/** An event with a logger that keeps what it is told. */
function eventFor(path: string) {
	const logged: { level: string; msg: string }[] = [];
	const log = {
		warn: (_: unknown, msg: string) => logged.push({ level: 'warn', msg }),
		error: (_: unknown, msg: string) => logged.push({ level: 'error', msg })
	};
	const event = {
		url: new URL(`http://app.test${path}`),
		locals: { log, requestId: 'req-1' }
	} as unknown as RequestEvent;
	return { event, logged };
}

const failing = (error: unknown) => async () => {
	throw error;
};

describe('apiFailures', () => {
	it('answers an API request whose inner handle throws with a logged problem+json 500', async () => {
		const { event, logged } = eventFor('/api/v1/me');
		const response = await apiFailures({ event, resolve: failing(new Error('counter broke')) });
		expect(response.status).toBe(500);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect(await response.json()).toMatchObject({
			status: 500,
			instance: '/api/v1/me',
			requestId: 'req-1'
		});
		expect(logged).toEqual([{ level: 'error', msg: 'unhandled API error' }]);
	});

	it('answers a database out of reach with a 503 to retry', async () => {
		const { event } = eventFor('/api/v1/boards');
		const lost = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		const response = await apiFailures({ event, resolve: failing(lost) });
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
	});

	it('passes the answer through when nothing throws', async () => {
		const { event } = eventFor('/api/v1/me');
		const response = await apiFailures({ event, resolve: async () => new Response('fine') });
		expect(await response.text()).toBe('fine');
	});

	it('leaves pages and SvelteKit’s own redirects to SvelteKit', async () => {
		const page = eventFor('/boards');
		await expect(
			apiFailures({ event: page.event, resolve: failing(new Error('x')) })
		).rejects.toThrow('x');
		const api = eventFor('/api/v1/me');
		const moved = (() => {
			try {
				redirect(303, '/login');
			} catch (thrown) {
				return thrown;
			}
		})();
		await expect(apiFailures({ event: api.event, resolve: failing(moved) })).rejects.toBe(moved);
	});
});
