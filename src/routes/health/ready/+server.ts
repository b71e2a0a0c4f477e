import { json } from '$lib/server/http/endpoint';
import type { RequestHandler } from './$types';

const timeoutMs = 2000;

/** Each dependency with its status and latency; 503 when any is down. */
export const GET: RequestHandler = async ({ locals }) => {
	const checks = await Promise.all(
		locals.ctx.readiness.map(async ({ name, check }) => {
			const started = performance.now();
			try {
				await Promise.race([
					check(),
					new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs))
				]);
				return [name, { status: 'up', latencyMs: round(performance.now() - started) }] as const;
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				return [
					name,
					{ status: 'down', latencyMs: round(performance.now() - started), error: message }
				] as const;
			}
		})
	);
	const ok = checks.every(([, c]) => c.status === 'up');
	return json(
		{ status: ok ? 'ok' : 'degraded', checks: Object.fromEntries(checks) },
		{ status: ok ? 200 : 503 }
	);
};

const round = (ms: number) => Math.round(ms * 10) / 10;
