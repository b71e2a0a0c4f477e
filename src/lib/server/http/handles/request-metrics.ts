/**
 * Times every request SvelteKit handles into the HTTP duration histogram, labelled with the
 * route template (`event.route.id`, never the path: one series per route, however many ids
 * are requested), the method and the status class. Runs right inside `requestContext`, so
 * refusals by later handles are timed too. The admin System tab's minute ring counts every
 * request at the same point (O(1)), with or without Prometheus metrics.
 */
import type { Handle } from '@sveltejs/kit';

const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const requestMetrics: Handle = async ({ event, resolve }) => {
	const { metrics, system } = event.locals.ctx;
	const started = performance.now();
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		return response;
	} finally {
		const ms = performance.now() - started;
		system.ring.request(ms, status);
		const method = event.request.method;
		metrics?.httpDuration.observe(
			{
				method: methods.has(method) ? method : 'OTHER',
				route: event.route.id ?? 'unmatched',
				status_class: `${Math.floor(status / 100)}xx`
			},
			ms / 1000
		);
	}
};
