/**
 * Holds a connection's sync acknowledgements until what they acknowledge is durable.
 *
 * Hocuspocus applies an incoming update and answers it with a SyncStatus frame in the same
 * call, before any database could have committed it. The provider counts that frame as "saved",
 * so it must not leave before the update's log row has committed. Persistence used to make
 * `beforeSync` wait for the commit, which meant applying the update itself first (so others see
 * it at once) and Hocuspocus applying it a second time after: two Yjs transactions per edit.
 * Gating the frame instead lets Hocuspocus apply each update once, and no longer stalls the
 * connection's next message on the commit.
 *
 * The gate replaces the `send` of one Hocuspocus `Connection` (every frame to that socket for
 * that document passes through it). Other frames go out at once; acknowledgements go out in the
 * order they were sent, each once what it answers is durable, and not at all when that fails.
 */

/** Hocuspocus's message type of an acknowledgement (`MessageType.SyncStatus`). */
const syncStatusType = 8;
/** A SyncStatus saying the update was applied; 0 says it was not (a read-only client's). */
const applied = 1;

/**
 * Whether a Hocuspocus frame acknowledges an update: `varString(address) varUint(SyncStatus)
 * varUint(1)`. Reads the address length and two bytes past it, whatever the frame's size. A
 * SyncStatus of 0 acknowledges nothing (the provider ignores it), so it is not held.
 */
export function isAcknowledgement(frame: Uint8Array): boolean {
	let length = 0;
	let scale = 1;
	let pos = 0;
	for (;;) {
		const byte = frame[pos++];
		if (byte === undefined) return false;
		length += (byte & 0x7f) * scale;
		if (byte < 0x80) break;
		scale *= 0x80;
	}
	// Every message type is below 128, so a type is one byte; so is the status.
	return frame[pos + length] === syncStatusType && frame[pos + length + 1] === applied;
}

/** The part of a Hocuspocus `Connection` the gate needs. */
export interface GatedConnection {
	send(frame: Uint8Array): void;
}

/**
 * Routes the connection's acknowledgements through `durable`, which resolves true once what the
 * acknowledgement answers is durable, or false when it cannot be made so (it closes the socket
 * then, and the client resyncs). Called once per connection (callers keep track); the
 * connection keeps the gate for its life.
 */
export function gateAcknowledgements(
	connection: GatedConnection,
	durable: () => Promise<boolean>
): void {
	const send = connection.send.bind(connection);
	let held: Promise<void> = Promise.resolve();
	connection.send = (frame: Uint8Array) => {
		if (!isAcknowledgement(frame)) return send(frame);
		// Asked now, when the update it answers has just been applied and its append queued.
		const ready = durable().catch(() => false);
		held = held
			.then(async () => {
				if (await ready) send(frame);
			})
			// Hocuspocus's `send` closes the connection rather than throw; were it to throw, the
			// acknowledgements after this one must still go out.
			.catch(() => {});
	};
}
