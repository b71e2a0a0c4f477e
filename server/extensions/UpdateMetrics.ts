/**
 * Counts board updates as they are applied: where each came from (a websocket client, an API
 * write, another instance through Redis) and how many connection deliveries it fans out to.
 * A Yjs `update` listener per loaded document rather than Hocuspocus's `onChange` hook: the hook
 * chain builds promises for every update, the listener bumps two numbers.
 */
import {
	isTransactionOrigin,
	type afterLoadDocumentPayload,
	type Extension
} from '@hocuspocus/server';
import type { Metrics } from '#lib/server/metrics/metrics.ts';

export class UpdateMetrics implements Extension {
	extensionName = 'UpdateMetrics';
	readonly #metrics: Metrics;

	constructor(metrics: Metrics) {
		this.#metrics = metrics;
	}

	async afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
		const { updatesReceived, updatesFannedOut } = this.#metrics;
		// Attached after the stored state was applied: loading is not counted. The listener goes
		// with the document when Hocuspocus destroys it.
		document.on('update', (_update: Uint8Array, origin: unknown) => {
			if (!isTransactionOrigin(origin)) return;
			if (origin.source === 'connection') updatesReceived.websocket.value += 1;
			else if (origin.source === 'redis') updatesReceived.redis.value += 1;
			else if ((origin.context as { persistence?: unknown } | undefined)?.persistence) return;
			else updatesReceived.api.value += 1;
			// Hocuspocus broadcasts each update to every websocket on the board (merging those of
			// one event-loop turn into one frame).
			updatesFannedOut.value += document.connections.size;
		});
	}
}
