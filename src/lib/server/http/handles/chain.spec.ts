import type { Handle, RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { chain } from './chain.ts';

const event = (name: string) => ({ locals: {}, name }) as unknown as RequestEvent;
const nameOf = (e: RequestEvent) => (e as unknown as { name: string }).name;

/** A handle that records entering and leaving, and passes the request on unchanged. */
function recording(label: string, log: string[]): Handle {
	return async ({ event, resolve }) => {
		log.push(`${label} in`);
		const response = await resolve(event);
		log.push(`${label} out`);
		return response;
	};
}

describe('chain', () => {
	it('runs handles outermost first on the way in and innermost first on the way out', async () => {
		const log: string[] = [];
		const handle = chain(recording('a', log), recording('b', log), recording('c', log));
		const response = await handle({
			event: event('request'),
			resolve: async () => {
				log.push('route');
				return new Response('ok');
			}
		});
		expect(await response.text()).toBe('ok');
		expect(log).toEqual(['a in', 'b in', 'c in', 'route', 'c out', 'b out', 'a out']);
	});

	it('stops at a handle that answers itself: later handles and the route never run', async () => {
		const log: string[] = [];
		const refuse: Handle = async () => new Response('no', { status: 403 });
		const handle = chain(recording('a', log), refuse, recording('c', log));
		const response = await handle({
			event: event('request'),
			resolve: async () => {
				log.push('route');
				return new Response('ok');
			}
		});
		expect(response.status).toBe(403);
		expect(log).toEqual(['a in', 'a out']);
	});

	it('hands the event a handle resolves with to the next, and resolve options to Kit', async () => {
		const seen: string[] = [];
		const preload: ResolveOptions['preload'] = () => true;
		const swap: Handle = ({ resolve }) => resolve(event('swapped'), { preload });
		const look: Handle = ({ event, resolve }) => {
			seen.push(nameOf(event));
			return resolve(event);
		};
		let given: ResolveOptions | undefined;
		const handle = chain(swap, look);
		await handle({
			event: event('request'),
			resolve: async (last, options) => {
				seen.push(nameOf(last));
				given = options;
				return new Response(null, { status: 204 });
			}
		});
		expect(seen).toEqual(['swapped', 'swapped']);
		expect(given?.preload).toBe(preload);
	});

	it('combines resolve options as sequence() does: outer preload wins, both transforms run', async () => {
		const outerPreload: ResolveOptions['preload'] = () => true;
		const innerPreload: ResolveOptions['preload'] = () => false;
		const outer: Handle = ({ event, resolve }) =>
			resolve(event, { preload: outerPreload, transformPageChunk: ({ html }) => `${html}o` });
		const inner: Handle = ({ event, resolve }) =>
			resolve(event, { preload: innerPreload, transformPageChunk: ({ html }) => `${html}i` });
		let given: ResolveOptions | undefined;
		await chain(
			outer,
			inner
		)({
			event: event('request'),
			resolve: async (_last, options) => {
				given = options;
				return new Response(null, { status: 204 });
			}
		});
		expect(given?.preload).toBe(outerPreload);
		expect(await given?.transformPageChunk?.({ html: '<p>', done: true })).toBe('<p>io');
	});

	it('with no handles, resolves the request as Kit would', async () => {
		const response = await chain()({
			event: event('request'),
			resolve: async (e) => new Response(nameOf(e))
		});
		expect(await response.text()).toBe('request');
	});

	it('passes a handle failure to its caller', async () => {
		const fail: Handle = async () => {
			throw new Error('broken');
		};
		const handle = chain(fail);
		await expect(
			handle({ event: event('request'), resolve: async () => new Response('ok') })
		).rejects.toThrow('broken');
	});
});
