/**
 * Runs the instance's readiness checks (each bounded by a timeout) into the status, latency and
 * details of every dependency: what `/health/ready` answers and the admin System tab shows.
 */
import type { ReadinessCheck } from '../context.ts';

const timeoutMs = 2000;

export interface DependencyStatus {
	status: 'up' | 'down';
	latencyMs: number;
	error?: string;
	[detail: string]: unknown;
}

export interface Readiness {
	/** Every required dependency is up (an optional one may be down). */
	ready: boolean;
	status: 'ok' | 'degraded';
	checks: Record<string, DependencyStatus>;
}

export async function checkReadiness(readiness: readonly ReadinessCheck[]): Promise<Readiness> {
	const checks = await Promise.all(
		readiness.map(async ({ name, check, optional }) => {
			const started = performance.now();
			let timer: ReturnType<typeof setTimeout> | undefined;
			try {
				const details = await Promise.race([
					check(),
					new Promise<never>((_, reject) => {
						timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
					})
				]);
				const up: DependencyStatus = {
					status: 'up',
					latencyMs: round(performance.now() - started),
					...details
				};
				return [name, up, optional] as const;
			} catch (error) {
				const message = error instanceof Error ? error.message : String(error);
				const down: DependencyStatus = {
					status: 'down',
					latencyMs: round(performance.now() - started),
					error: message
				};
				return [name, down, optional] as const;
			} finally {
				clearTimeout(timer);
			}
		})
	);
	// An optional dependency being down (the event log: events wait in the outbox) degrades
	// the status but does not take the instance out of rotation.
	return {
		ready: checks.every(([, c, optional]) => c.status === 'up' || optional),
		status: checks.every(([, c]) => c.status === 'up') ? 'ok' : 'degraded',
		checks: Object.fromEntries(checks.map(([name, c]) => [name, c]))
	};
}

const round = (ms: number) => Math.round(ms * 10) / 10;
