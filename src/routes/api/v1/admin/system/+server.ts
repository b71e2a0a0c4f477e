import type { SystemDto } from '$lib/api/system';
import { requireAdmin } from '$lib/server/admin/guard';
import { checkReadiness } from '$lib/server/health/readiness';
import { endpoint, json } from '$lib/server/http/endpoint';
import { mergeSeries } from '$lib/server/system/minute-ring';

/** Dependencies, live instances, the outbox and the cluster's last hour, for the System tab. */
export const GET = endpoint(async (event) => {
	requireAdmin(event);
	const { readiness, system } = event.locals.ctx;
	const [health, instances, figures] = await Promise.all([
		checkReadiness(readiness),
		system.instances(),
		system.figures()
	]);
	const body: SystemDto = {
		status: health.status,
		dependencies: health.checks,
		instances: instances.map((beat, i) => ({
			id: beat.id,
			startedAt: beat.startedAt,
			self: i === 0,
			connections: beat.connections,
			authenticatedConnections: beat.authenticatedConnections,
			boardsLoaded: beat.boardsLoaded
		})),
		outbox: figures && { depth: figures.outboxDepth, lagSeconds: figures.relayLagSeconds },
		series: mergeSeries(instances.map((beat) => beat.samples)).map((p) => ({
			...p,
			minute: new Date(p.minute).toISOString()
		}))
	};
	return json(body);
});
