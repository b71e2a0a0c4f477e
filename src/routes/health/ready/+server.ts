import { json } from '$lib/server/http/endpoint';
import type { RequestHandler } from './$types';

const timeoutMs = 2000;

/** Each dependency with its status, latency and details; 503 when a required one is down. */
export const GET: RequestHandler = async ({ locals }) => {
	const checks = await Promise.all(
		locals.ctx.readiness.map(async ({ name, check, optional }) => {
			const started = performance.now();
			try {
				const details = await Promise.race([
					check(),
					new Promise<never>((_, reject) =>
						setTimeout(() => reject(new Error('timed out')), timeoutMs)
					)
				]);
				const up = { status: 'up', latencyMs: round(performance.now() - started), ...details };
				return [name, up, optional] as const;
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const down = {
					status: 'down',
					latencyMs: round(performance.now() - started),
					error: message
				};
				return [name, down, optional] as const;
			}
		})
	);
	// An optional dependency being down (the event log: events wait in the outbox) degrades
	// the status but does not take the instance out of rotation.
	const ready = checks.every(([, c, optional]) => c.status === 'up' || optional);
	const allUp = checks.every(([, c]) => c.status === 'up');
	return json(
		{
			status: allUp ? 'ok' : 'degraded',
			checks: Object.fromEntries(checks.map(([name, c]) => [name, c]))
		},
		{ status: ready ? 200 : 503 }
	);
};

const round = (ms: number) => Math.round(ms * 10) / 10;
