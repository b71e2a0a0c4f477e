/**
 * Counts board updates as they are applied: where each came from (a websocket client, an API
 * write, another instance through Redis) and how many connection deliveries it fans out to.
 * A Yjs `update` listener per loaded document rather than Hocuspocus's `onChange` hook: the hook
 * chain builds promises for every update, the listener bumps two numbers. The admin System tab's
 * minute ring counts the updates this instance received (not those relayed by Redis: summed
 * across instances, each update counts once); it runs with or without Prometheus metrics.
 */
import {
	isTransactionOrigin,
	type afterLoadDocumentPayload,
	type Extension
} from '@hocuspocus/server';
import type { Metrics } from '#lib/server/metrics/metrics.ts';
import type { MinuteRing } from '#lib/server/system/minute-ring.ts';

export class UpdateMetrics implements Extension {
	extensionName = 'UpdateMetrics';
	readonly #metrics: Metrics | null;
	readonly #ring: MinuteRing;

	constructor(metrics: Metrics | null, ring: MinuteRing) {
		this.#metrics = metrics;
		this.#ring = ring;
	}

	async afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
		const metrics = this.#metrics;
		const ring = this.#ring;
		// Attached after the stored state was applied: loading is not counted. The listener goes
		// with the document when Hocuspocus destroys it.
		document.on('update', (_update: Uint8Array, origin: unknown) => {
			if (!isTransactionOrigin(origin)) return;
			let source: 'websocket' | 'api' | 'redis';
			if (origin.source === 'connection') source = 'websocket';
			else if (origin.source === 'redis') source = 'redis';
			else if ((origin.context as { persistence?: unknown } | undefined)?.persistence) return;
			else source = 'api';
			if (source !== 'redis') ring.updates(1);
			if (!metrics) return;
			metrics.updatesReceived[source].value += 1;
			// Hocuspocus broadcasts each update to every websocket on the board (merging those of
			// one event-loop turn into one frame).
			metrics.updatesFannedOut.value += document.connections.size;
		});
	}
}
