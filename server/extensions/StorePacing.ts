import type { Extension, onStoreDocumentPayload } from '@hocuspocus/server';
import { StorePacer, type StorePacerOptions } from '../persistence/store-pacer.ts';

/**
 * Board stores take turns (see `StorePacer`) before any other store hook runs. The priority is
 * above the Redis extension's (1000), whose `onStoreDocument` takes the cluster-wide store
 * lock: a store waiting its turn must not hold that lock, or other instances would skip their
 * stores of the board meanwhile. Only boards in use wait; the store of a board leaving memory
 * (its last client gone) is the last before it goes and starts at once (unless an earlier
 * store of that board is still waiting its turn: it runs after that one).
 */
export class StorePacing implements Extension {
	extensionName = 'StorePacing';
	priority = 1100;
	readonly #pacer: StorePacer;

	constructor(options: StorePacerOptions) {
		this.#pacer = new StorePacer(options);
	}

	async onStoreDocument({ document }: onStoreDocumentPayload): Promise<void> {
		if (document.getConnectionsCount() > 0) await this.#pacer.turn();
	}

	/** Lets waiting stores start now, and later ones at once (the server is stopping). */
	hurry(): void {
		this.#pacer.release();
	}
}
