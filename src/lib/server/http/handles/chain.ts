/**
 * Runs handles in order, outermost first: each one's `resolve` calls the next, the last one's
 * calls Kit's. The semantics of Kit's `sequence()`, without its per-handle work: for every
 * handle it opens a tracing span (a no-op span when tracing is off, but two more promises),
 * copies the whole request event and re-enters the request store. With our eleven handles
 * that cost 0.08–0.14 ms of CPU per request on the 2-core machine (`/health` and
 * `/api/v1/me`, alternating builds: docs/performance.md, "REST API", fourth pass). Kit still
 * opens one span and one request store around the whole chain, so `getRequestEvent()` works
 * inside every handle.
 */
import type { Handle, ResolveOptions } from '@sveltejs/kit';

/**
 * Resolve options as `sequence()` combines them: an outer handle's `preload` and
 * `filterSerializedResponseHeaders` win, and both `transformPageChunk`s run, the inner one
 * first. Only merged when both levels give some (none of our handles gives any).
 */
function merged(
	outer: ResolveOptions | undefined,
	inner: ResolveOptions | undefined
): ResolveOptions | undefined {
	if (!outer || !inner) return outer ?? inner;
	const first = inner.transformPageChunk;
	const then = outer.transformPageChunk;
	return {
		preload: outer.preload ?? inner.preload,
		filterSerializedResponseHeaders:
			outer.filterSerializedResponseHeaders ?? inner.filterSerializedResponseHeaders,
		transformPageChunk:
			first && then
				? async ({ html, done }) => {
						const own = (await first({ html, done })) ?? '';
						return (await then({ html: own, done })) ?? '';
					}
				: (first ?? then)
	};
}

export function chain(...handles: Handle[]): Handle {
	return ({ event, resolve }) => {
		const step = (
			index: number,
			current: typeof event,
			options: ResolveOptions | undefined
		): ReturnType<Handle> => {
			const handle = handles[index];
			if (!handle) return resolve(current, options);
			return handle({
				event: current,
				resolve: (next, own) => step(index + 1, next, merged(options, own))
			});
		};
		return step(0, event, undefined);
	};
}
