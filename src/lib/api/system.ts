/** The admin System tab's answer (`GET /api/v1/admin/system`), shared by server and page. */
export interface SystemDependency {
	status: 'up' | 'down';
	latencyMs: number;
	error?: string;
}

export interface SystemInstance {
	id: string;
	startedAt: string;
	/** The instance answering this request. */
	self: boolean;
	connections: number;
	authenticatedConnections: number;
	boardsLoaded: number;
}

export interface SystemPoint {
	/** Start of the minute (ISO 8601). */
	minute: string;
	requestsPerSecond: number;
	p95Ms: number | null;
	errorRate: number;
	connections: number;
	updatesPerSecond: number;
}

export interface SystemDto {
	status: 'ok' | 'degraded';
	dependencies: Record<string, SystemDependency>;
	instances: SystemInstance[];
	/** Null when the figures could not be read yet. */
	outbox: { depth: number; lagSeconds: number } | null;
	/** The cluster's last hour, one point a minute, oldest first. */
	series: SystemPoint[];
}
