import { json } from '$lib/server/http/endpoint';
import { checkReadiness } from '$lib/server/health/readiness';
import type { RequestHandler } from './$types';

/** Each dependency with its status, latency and details; 503 when a required one is down. */
export const GET: RequestHandler = async ({ locals }) => {
	const { ready, status, checks } = await checkReadiness(locals.ctx.readiness);
	return json({ status, checks }, { status: ready ? 200 : 503 });
};
