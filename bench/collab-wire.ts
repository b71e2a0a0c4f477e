/**
 * The Hocuspocus 4 wire protocol, as much of it as a load-generating client needs: every frame
 * is `varString(documentName) varUint(messageType) …`, with lib0's variable-length integers.
 * Written out here (not through the provider) so a thousand clients cost the load generator
 * little: frame prefixes are built once per client, and reading a frame allocates nothing.
 */

/** Message types (the first varUint after the document name). */
export const messageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	syncStatus: 8,
	/** Connection-level, sent bare (no document name): the client answers with `pong`. */
	ping: 9,
	pong: 10
} as const;

/** Sub-types of a sync message (y-protocols). */
export const syncType = { step1: 0, step2: 1, update: 2 } as const;

/** Sub-types of an auth message (@hocuspocus/common). */
export const authType = { token: 0, permissionDenied: 1, authenticated: 2 } as const;

const textEncoder = new TextEncoder();

/** Grows as needed; `bytes()` returns a copy of what was written. */
export class Writer {
	#buffer = new Uint8Array(64);
	#length = 0;

	#reserve(extra: number) {
		if (this.#length + extra <= this.#buffer.length) return;
		const next = new Uint8Array(Math.max(this.#buffer.length * 2, this.#length + extra));
		next.set(this.#buffer.subarray(0, this.#length));
		this.#buffer = next;
	}

	varUint(value: number): this {
		this.#reserve(8);
		while (value > 0x7f) {
			this.#buffer[this.#length++] = 0x80 | (value & 0x7f);
			value = Math.floor(value / 128);
		}
		this.#buffer[this.#length++] = value;
		return this;
	}

	raw(bytes: Uint8Array): this {
		this.#reserve(bytes.length);
		this.#buffer.set(bytes, this.#length);
		this.#length += bytes.length;
		return this;
	}

	varBytes(bytes: Uint8Array): this {
		return this.varUint(bytes.length).raw(bytes);
	}

	varString(text: string): this {
		return this.varBytes(textEncoder.encode(text));
	}

	bytes(): Uint8Array {
		return this.#buffer.slice(0, this.#length);
	}
}

/** A cursor over one received frame; reading never copies. */
export class Reader {
	bytes: Uint8Array = new Uint8Array(0);
	pos = 0;

	reset(bytes: Uint8Array): this {
		this.bytes = bytes;
		this.pos = 0;
		return this;
	}

	varUint(): number {
		let value = 0;
		let scale = 1;
		for (;;) {
			const byte = this.bytes[this.pos++];
			if (byte === undefined) throw new Error('truncated frame');
			value += (byte & 0x7f) * scale;
			if (byte < 0x80) return value;
			scale *= 128;
		}
	}

	/** Skips a varString or varUint8Array and returns where its bytes start. */
	skipVarBytes(): number {
		const length = this.varUint();
		const start = this.pos;
		this.pos += length;
		if (this.pos > this.bytes.length) throw new Error('truncated frame');
		return start;
	}

	/** A view (no copy) of the varUint8Array at the cursor. */
	varBytes(): Uint8Array {
		const length = this.varUint();
		const start = this.pos;
		this.pos += length;
		if (this.pos > this.bytes.length) throw new Error('truncated frame');
		return this.bytes.subarray(start, this.pos);
	}
}

/** The bytes every frame for `documentName` starts with. */
export function framePrefix(documentName: string): Uint8Array {
	return new Writer().varString(documentName).bytes();
}

/** The provider's authentication frame (the provider's version string is optional). */
export function authFrame(prefix: Uint8Array, token: string): Uint8Array {
	return new Writer()
		.raw(prefix)
		.varUint(messageType.auth)
		.varUint(authType.token)
		.varString(token)
		.bytes();
}

/** A sync frame of `kind` carrying `payload` (a state vector or an update). */
export function syncFrame(
	prefix: Uint8Array,
	kind: (typeof syncType)[keyof typeof syncType],
	payload: Uint8Array
): Uint8Array {
	return new Writer().raw(prefix).varUint(messageType.sync).varUint(kind).varBytes(payload).bytes();
}

/** An awareness frame announcing one client's state, as y-protocols encodes it. */
export function awarenessFrame(
	prefix: Uint8Array,
	clientId: number,
	clock: number,
	state: unknown
): Uint8Array {
	const update = new Writer()
		.varUint(1)
		.varUint(clientId)
		.varUint(clock)
		.varString(JSON.stringify(state))
		.bytes();
	return new Writer().raw(prefix).varUint(messageType.awareness).varBytes(update).bytes();
}

export const pongFrame = new Uint8Array([messageType.pong]);
