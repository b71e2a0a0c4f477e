import type {
	beforeHandleMessagePayload,
	beforeSyncPayload,
	Document,
	Extension
} from '@hocuspocus/server';
import type { Logger } from '#lib/server/log.ts';
import { checkAwarenessShape } from '../board-guard/awareness-shape.ts';
import { RefusedUpdate } from '../board-guard/refusal.ts';
import { BoardUpdateCheck, type BoardLimits } from '../board-guard/update-check.ts';
import { checkUpdateShape } from '../board-guard/update-shape.ts';
import type { CollabContext } from './Authorization.ts';

export interface GuardOptions extends BoardLimits {
	log: Logger;
	/**
	 * Check updates against the document contract (default true). The bounded shape walk runs
	 * either way: it is what makes decoding safe.
	 */
	contract?: boolean;
}

const syncStep2 = 1;
const syncUpdate = 2;

/**
 * Refuses incoming board updates that break the document contract (docs/board-document.md) or
 * could not be decoded safely, before anything applies, logs or broadcasts them. A refusal
 * closes the socket with 4422 and the reason; see docs/architecture.md "Hostile websocket
 * clients" for what the sender experiences.
 */
export class Guard implements Extension {
	extensionName = 'Guard';
	// Before Persistence (100), whose `beforeSync` gives the update its log id, and before
	// Hocuspocus applies it: a refused update must never be applied or logged. After
	// Authorization (1000).
	priority = 500;

	readonly #options: GuardOptions;
	readonly #checks = new WeakMap<Document, BoardUpdateCheck>();

	constructor(options: GuardOptions) {
		this.#options = options;
	}

	/** Presence frames: bounded size and nesting before anything parses their JSON. */
	async beforeHandleMessage({
		update,
		connection,
		context
	}: beforeHandleMessagePayload<CollabContext>): Promise<void> {
		try {
			checkAwarenessShape(update);
		} catch (error) {
			this.#refuse(error, connection, context);
		}
	}

	async beforeSync({
		type,
		payload,
		connection,
		document,
		context
	}: beforeSyncPayload<CollabContext>): Promise<void> {
		if (type !== syncStep2 && type !== syncUpdate) return;
		try {
			// Even a read-only connection's update is decoded (to tell whether it changes anything).
			checkUpdateShape(payload);
			if (connection.readOnly || this.#options.contract === false) return;
			let check = this.#checks.get(document);
			if (!check)
				this.#checks.set(document, (check = new BoardUpdateCheck(document, this.#options)));
			check.check(payload);
		} catch (error) {
			this.#refuse(error, connection, context);
		}
	}

	#refuse(
		error: unknown,
		connection: { webSocket: { close(code: number, reason: string): void } },
		context: CollabContext
	): never {
		const refusal =
			error instanceof RefusedUpdate ? error : new RefusedUpdate('the message does not decode');
		this.#options.log.warn(
			{
				boardId: context.boardId,
				userId: context.user?.id,
				reason: refusal.message,
				// Anything else thrown is a decoding failure, or a bug here: keep it for diagnosis.
				...(error instanceof RefusedUpdate ? {} : { err: error })
			},
			'refused a board update'
		);
		// The whole socket, so the client sees the code (a document-level close is silent).
		connection.webSocket.close(refusal.code, refusal.reason);
		throw refusal;
	}
}
