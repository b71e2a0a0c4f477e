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
 * rejected after ioredis's retries and logged board by board), and once both connections are
 * ready again after one was lost, every loaded board is announced once, after a round trip on
 * the subscriber that proves its channels are subscribed again. Each instance does that on its
 * own reconnection; the later of two reaches the earlier, already listening, and heals both
 * directions. A board opened during the outage is subscribed then too, and boards still loading
 * are announced with the loaded ones. An announcement carries the board's presence too.
 *
 * Changes and presence are published only for boards another instance has been heard on (see
 * `#shared`).
 */
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import {
	IncomingMessage,
	type Document,
	type afterLoadDocumentPayload,
	type afterUnloadDocumentPayload,
	type onAwarenessUpdatePayload,
	type onChangePayload,
	type onStoreDocumentPayload
} from '@hocuspocus/server';

type Configuration = ConstructorParameters<typeof RedisExtension>[0];

/** The extension's private parts this class reads (Hocuspocus 4.7's names). */
interface ExtensionInternals {
	/** Boards loading or loaded, as the extension's own listener finds them. */
	documents: Map<string, Document>;
	decodeMessage(data: Buffer): [identifier: string, message: Buffer];
}

export class RedisSync extends RedisExtension {
	/** A connection was lost since the last announcement (a first connection is not a return). */
	#lost = false;
	/** Boards loaded while disconnected: never subscribed, whatever `instance.documents` says yet. */
	readonly #unsubscribed = new Set<string>();
	/**
	 * Boards unloaded while disconnected, whose channels may outlive them: the extension's
	 * UNSUBSCRIBE is then refused after ioredis's retries, and ioredis subscribes again, on
	 * reconnection, every channel it had not seen unsubscribed. A peer opening such a board later
	 * counts this instance as a holder and waits the initial-sync timeout (1 s) for its answer.
	 */
	readonly #unloadedOffline = new Set<string>();
	/**
	 * Loaded boards another instance has been heard on. Only their changes and presence are
	 * published: on a board no other instance holds, every change cost an encoded state vector,
	 * a PUBLISH and the same message read back by this instance's own subscriber, to be dropped
	 * (13 % of the server's CPU at the seed's load; docs/architecture.md, "Redis only for
	 * boards held twice"). Nothing is lost by waiting to hear a peer: an
	 * instance opening a board subscribes before it announces its state vector, so of two
	 * instances opening one board the later announcement reaches the other, which answers on
	 * the announcer's reply channel with everything it has — the changes it did not publish
	 * included — and from then on both publish. Whatever marks a board here, this instance then
	 * announces it once itself. Never forgotten while the board stays loaded.
	 */
	readonly #shared = new Set<string>();

	constructor(configuration: Configuration) {
		super(configuration);
		// After the extension's own listener (registered in its constructor), so a peer's first
		// message is applied before this instance starts publishing to it.
		this.sub.on('messageBuffer', (_channel: Buffer, data: Buffer) => this.#heard(data));
		for (const connection of [this.pub, this.sub]) {
			connection.on('close', () => (this.#lost = true));
			// ioredis emits 'ready' on the next tick after writing its resubscriptions, so the
			// round trip in #announceAll is answered only once they are in effect.
			connection.on('ready', () => void this.#announceAll());
		}
	}

	get #connected(): boolean {
		return this.pub.status === 'ready' && this.sub.status === 'ready';
	}

	async #announceAll(): Promise<void> {
		if (!this.#lost || !this.instance || !this.#connected) return;
		// Taken before the round trip, so the other connection's 'ready' does not announce too.
		this.#lost = false;
		// Subscribing is the round trip. Boards loaded during the outage were never subscribed
		// (afterLoadDocument); neither, after a start without Redis, was the reply channel peers
		// answer on, whose SUBSCRIBE from the constructor ioredis rejected and will not repeat.
		// The others are subscribed again (Redis answers a repeat and changes nothing).
		const names = new Set([...this.#unsubscribed, ...this.#loaded().keys()]);
		const { prefix, identifier } = this.configuration;
		const channels = [`${prefix}#reply:${identifier}`, ...[...names].map((n) => this.#channel(n))];
		try {
			await this.sub.subscribe(...channels);
		} catch {
			this.#lost = true; // Lost again: the next 'ready' announces.
			return;
		}
		this.#unsubscribed.clear();
		// Not a board loaded (or loading: it is in `names` or took itself out in afterLoadDocument)
		// since it was closed: its own SUBSCRIBE may be on its way, and must not be undone.
		const gone = [...this.#unloadedOffline].filter(
			(name) => !names.has(name) && !this.instance!.documents.has(name)
		);
		this.#unloadedOffline.clear();
		if (gone.length > 0) {
			// Not worth a retry of its own if refused: the channel only costs a peer's wait.
			await this.sub.unsubscribe(...gone.map((name) => this.#channel(name))).catch(() => {});
		}
		// Loads wait on the reply subscription (the extension's own promise, rejected for good if
		// its first attempt was): it is in place now.
		(this as unknown as { replySubscription: Promise<void> }).replySubscription = Promise.resolve();
		for (const [documentName, document] of this.#loaded()) {
			await this.#announce(documentName, document);
		}
	}

	/**
	 * Boards loaded and loading: a board still waiting in its load for a peer's answer (up to the
	 * initial-sync timeout) is only in the extension's map, and must be announced too.
	 */
	#loaded(): Map<string, Document> {
		const own = this as unknown as ExtensionInternals;
		return new Map([...own.documents, ...(this.instance?.documents ?? [])]);
	}

	/** Publishes a board's state vector and its presence, whether or not it is shared yet. */
	async #announce(documentName: string, document: Document): Promise<void> {
		if (!this.instance) return;
		await super.onChange({
			documentName,
			document,
			instance: this.instance,
			clientsCount: document.getConnectionsCount(),
			context: {},
			requestHeaders: new Headers(),
			requestParameters: new URLSearchParams(),
			update: new Uint8Array(),
			socketId: 'server',
			transactionOrigin: { source: 'local' }
		});
		const clients = [...document.awareness.getStates().keys()];
		if (clients.length === 0) return;
		// The extension reads only these fields of the payload.
		await super.onAwarenessUpdate({
			documentName,
			document,
			awareness: document.awareness,
			added: clients,
			updated: [],
			removed: []
		} as unknown as onAwarenessUpdatePayload);
	}

	/** Marks the board a message from another instance is about (its board channel or a reply). */
	#heard(data: Buffer): void {
		const own = this as unknown as ExtensionInternals;
		const [identifier, message] = own.decodeMessage(data);
		if (identifier === this.configuration.identifier) return;
		let documentName: string;
		try {
			documentName = new IncomingMessage(message).readVarString();
		} catch {
			return; // The extension's listener meets the same garbage and drops it.
		}
		const document = own.documents.get(documentName) ?? this.instance?.documents.get(documentName);
		if (!document || this.#shared.has(documentName)) return;
		this.#shared.add(documentName);
		// The message that marked the board need not start an exchange (a presence renewal, a
		// stateless broadcast): announce once, so what this instance changed before it knew of the
		// peer, and who is here, reach it now rather than with the next edit.
		if (this.#connected) void this.#announce(documentName, document);
	}

	/** A board's channel, as the extension names it (`prefix:documentName`). */
	#channel(documentName: string): string {
		return `${this.configuration.prefix}:${documentName}`;
	}

	/**
	 * A board opened while Redis is out of reach opens on this instance alone: subscribing (and
	 * waiting for peers' state) would wait out ioredis's retries and then fail the load, so no
	 * board not yet open could be opened during an outage. It is subscribed and announced with
	 * the others once Redis is back.
	 */
	override async afterLoadDocument(data: afterLoadDocumentPayload): Promise<void> {
		this.#unloadedOffline.delete(data.documentName);
		if (this.#connected) {
			await super.afterLoadDocument(data);
			return;
		}
		this.#unsubscribed.add(data.documentName);
		this.#lost = true;
	}

	override async afterUnloadDocument(data: afterUnloadDocumentPayload): Promise<void> {
		if (!this.#connected && !data.instance.documents.has(data.documentName)) {
			// Loaded and unloaded within the outage: nothing to subscribe when Redis is back.
			this.#unsubscribed.delete(data.documentName);
			this.#unloadedOffline.add(data.documentName);
		}
		if (!data.instance.documents.has(data.documentName)) this.#shared.delete(data.documentName);
		await super.afterUnloadDocument(data);
	}

	override async onChange(data: onChangePayload): Promise<void> {
		if (this.#connected && this.#shared.has(data.documentName)) await super.onChange(data);
	}

	override async onAwarenessUpdate(data: onAwarenessUpdatePayload): Promise<void> {
		if (this.#connected && this.#shared.has(data.documentName)) await super.onAwarenessUpdate(data);
	}

	/**
	 * The store lock lives in Redis; while Redis cannot be reached the store goes ahead without
	 * it, which is correct (the fold of the stored snapshot runs under `select … for update`,
	 * docs/architecture.md, "A store only compacts"). Asking anyway made every store wait out
	 * ioredis's retries holding the board's save mutex, print a "quorum" error and skip: the
	 * log then grew for as long as the outage lasted.
	 */
	override async onStoreDocument(data: onStoreDocumentPayload): Promise<void> {
		if (this.pub.status !== 'ready') return;
		await super.onStoreDocument(data);
	}
}
