/**
 * A bounded look at awareness (presence) frames before Hocuspocus parses them. Awareness states
 * are JSON that the server parses and later stringifies recursively (Presence measures each
 * state that way), so a state nested 700,000 deep overflowed the stack there. Here each state is
 * scanned once, without recursion, for its size and nesting.
 */
import { Reader } from './update-shape.ts';
import { RefusedUpdate } from './refusal.ts';

const messageAwareness = 1;
/** Presence keeps states up to 4 KiB; anything far beyond is not a presence state. */
export const maxAwarenessStateBytes = 64 * 1024;
export const maxAwarenessDepth = 16;

const quote = 0x22;
const backslash = 0x5c;
const open = new Set([0x5b, 0x7b]); // [ {
const close = new Set([0x5d, 0x7d]); // ] }

function checkJsonDepth(json: Uint8Array, maxDepth: number): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < json.length; i++) {
		const byte = json[i]!;
		if (inString) {
			if (byte === backslash) i++;
			else if (byte === quote) inString = false;
		} else if (byte === quote) {
			inString = true;
		} else if (open.has(byte)) {
			if (++depth > maxDepth) {
				throw new RefusedUpdate(`a presence state is nested deeper than ${maxDepth} levels`);
			}
		} else if (close.has(byte)) {
			depth--;
		}
	}
}

/**
 * Throws `RefusedUpdate` when `message` (a whole Hocuspocus frame) is an awareness frame with a
 * state that is too large or too deeply nested. Other frames pass untouched.
 */
export function checkAwarenessShape(message: Uint8Array): void {
	const reader = new Reader(message);
	reader.skipBuffer(); // document name
	if (reader.varUint() !== messageAwareness) return;
	const update = new Reader(reader.buffer());
	const clients = update.varUint();
	for (let c = 0; c < clients; c++) {
		update.varUint(); // client id
		update.varUint(); // clock
		const state = update.buffer();
		if (state.length > maxAwarenessStateBytes) {
			throw new RefusedUpdate(`a presence state is larger than ${maxAwarenessStateBytes} bytes`);
		}
		checkJsonDepth(state, maxAwarenessDepth);
	}
}
