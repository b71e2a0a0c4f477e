/**
 * Hocuspocus's Redis extension, made to heal after Redis comes back. The extension keeps the
 * instances that hold a board in step by publishing, after each change, the board's state
 * vector; a peer answers with what the sender lacks and its own state vector, which is answered
 * in turn, so one exchange carries both ways. What an outage breaks: the announcements of the
 * changes made during it are queued by ioredis and sent once the connection is back, which can
 * be before the other instance has subscribed again, so they were lost, and nothing announced
 * the board again until its next edit. Until then each instance's clients saw only their own
 * instance's changes of the outage (tests/server/redis-outage.test.ts).
 *
 * So: while a connection is down, changes are not announced at all (nothing queues, nothing is
 * rejected after ioredis's retries and logged board by board), and whenever a connection is
 * ready again every loaded board is announced once, after a round trip on the subscriber that
 * proves its channels are subscribed again. Each instance does that on its own reconnection; the
 * later of two reaches the earlier, already listening, and heals both directions. Presence heals
 * by itself: providers renew their awareness every 15 s, and each renewal is published.
 */
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import type { onAwarenessUpdatePayload, onChangePayload } from '@hocuspocus/server';

type Configuration = ConstructorParameters<typeof RedisExtension>[0];

export class RedisSync extends RedisExtension {
	constructor(configuration: Configuration) {
		super(configuration);
		for (const connection of [this.pub, this.sub]) {
			// 'ready' is emitted before ioredis sends its resubscriptions; deferred, the round trip
			// below is queued behind them on the same connection.
			connection.on('ready', () => setImmediate(() => void this.#announceAll()));
		}
	}

	get #connected(): boolean {
		return this.pub.status === 'ready' && this.sub.status === 'ready';
	}

	async #announceAll(): Promise<void> {
		if (!this.instance || !this.#connected) return;
		try {
			await this.sub.ping();
		} catch {
			return; // Lost again: the next 'ready' announces.
		}
		for (const [documentName, document] of this.instance.documents) {
			await super.onChange({ documentName, document } as onChangePayload);
		}
	}

	override async onChange(data: onChangePayload): Promise<void> {
		if (this.#connected) await super.onChange(data);
	}

	override async onAwarenessUpdate(data: onAwarenessUpdatePayload): Promise<void> {
		if (this.#connected) await super.onAwarenessUpdate(data);
	}
}
