/**
 * A bounded walk over the bytes of a Yjs update (format v1) before anything decodes it. Yjs's own
 * decoder reads nested values recursively (an array nested 700,000 deep overflows the stack) and
 * parses JSON content that later code would stringify recursively; this walk is iterative, reads
 * every byte at most once (each step consumes at least one byte, so a hostile count cannot make
 * it loop), and refuses what a board document never holds: content kinds other than text, plain
 * values, deletions and the three shared types, and plain values nested deeper than `maxDepth`.
 */
import { RefusedUpdate } from './refusal.ts';

/** Plain values in a board are at most one object deep (a card's placement). */
export const maxValueDepth = 8;

// Content references of Yjs's update format (`contentRefs` in yjs/src/structs/Item.js).
const contentDeleted = 1;
const contentString = 4;
const contentType = 7;
const contentAny = 8;
// Type references (`typeRefs`): the only shared types a board uses.
const allowedTypeRefs = new Set([0, 1, 2]); // YArray, YMap, YText
const bit6 = 32;
const bit7 = 64;
const bit8 = 128;
const bits5 = 31;

/** Reads the varints and length-prefixed buffers of lib0's encoding, refusing truncation. */
export class Reader {
	readonly #bytes: Uint8Array;
	position = 0;

	constructor(bytes: Uint8Array) {
		this.#bytes = bytes;
	}

	get done(): boolean {
		return this.position >= this.#bytes.length;
	}

	byte(): number {
		if (this.position >= this.#bytes.length) throw new RefusedUpdate('the update is truncated');
		return this.#bytes[this.position++]!;
	}

	varUint(): number {
		let value = 0;
		let multiplier = 1;
		for (;;) {
			const byte = this.byte();
			value += (byte & 0x7f) * multiplier;
			if (byte < 0x80) return value;
			multiplier *= 128;
			if (multiplier > 2 ** 53) throw new RefusedUpdate('a number in the update is too large');
		}
	}

	varInt(): void {
		let byte = this.byte();
		let length = 1;
		while (byte & 0x80) {
			byte = this.byte();
			if (++length > 10) throw new RefusedUpdate('a number in the update is too large');
		}
	}

	skip(count: number): void {
		if (count > this.#bytes.length - this.position) {
			throw new RefusedUpdate('the update is truncated');
		}
		this.position += count;
	}

	/** Strings and byte arrays: a length, then that many bytes. */
	skipBuffer(): void {
		this.skip(this.varUint());
	}

	/** A length-prefixed buffer, as a view (no copy). */
	buffer(): Uint8Array {
		const length = this.varUint();
		const start = this.position;
		this.skip(length);
		return this.#bytes.subarray(start, start + length);
	}
}

/** Skips one `lib0` encoded value without recursion, refusing nesting deeper than `maxDepth`. */
function skipAny(reader: Reader, maxDepth: number): void {
	// Each entry: values still to read at that level, and whether they are object entries.
	const stack: { left: number; keyed: boolean }[] = [];
	let pending = 1;
	let keyed = false;
	for (;;) {
		while (pending === 0) {
			const outer = stack.pop();
			if (!outer) return;
			pending = outer.left;
			keyed = outer.keyed;
		}
		pending--;
		if (keyed) reader.skipBuffer();
		const type = reader.byte();
		switch (type) {
			case 127: // undefined
			case 126: // null
			case 121: // false
			case 120: // true
				break;
			case 125:
				reader.varInt();
				break;
			case 124:
				reader.skip(4);
				break;
			case 123:
			case 122:
				reader.skip(8);
				break;
			case 119:
			case 116:
				reader.skipBuffer();
				break;
			case 118:
			case 117: {
				const length = reader.varUint();
				if (stack.length + 1 > maxDepth) {
					throw new RefusedUpdate(`a value is nested deeper than ${maxDepth} levels`);
				}
				stack.push({ left: pending, keyed });
				pending = length;
				keyed = type === 118;
				break;
			}
			default:
				throw new RefusedUpdate(`unknown value type ${type}`);
		}
	}
}

/**
 * Throws `RefusedUpdate` unless `update` is a well-formed v1 update holding only what a board
 * document may hold. Costs one pass over the bytes.
 */
export function checkUpdateShape(update: Uint8Array, maxDepth = maxValueDepth): void {
	const reader = new Reader(update);
	const clients = reader.varUint();
	for (let c = 0; c < clients; c++) {
		const structs = reader.varUint();
		reader.varUint(); // client
		reader.varUint(); // first clock
		for (let s = 0; s < structs; s++) {
			const info = reader.byte();
			const ref = info & bits5;
			if (ref === 0 || ref === 10) {
				reader.varUint(); // GC or Skip: a length
				continue;
			}
			if (info & bit8) {
				reader.varUint();
				reader.varUint();
			}
			if (info & bit7) {
				reader.varUint();
				reader.varUint();
			}
			if ((info & (bit7 | bit8)) === 0) {
				if (reader.varUint() === 1) {
					reader.skipBuffer(); // a top-level type's name
				} else {
					reader.varUint();
					reader.varUint();
				}
				if (info & bit6) reader.skipBuffer(); // map key
			}
			switch (ref) {
				case contentDeleted:
					reader.varUint();
					break;
				case contentString:
					reader.skipBuffer();
					break;
				case contentType: {
					const typeRef = reader.varUint();
					if (!allowedTypeRefs.has(typeRef)) {
						throw new RefusedUpdate('a board holds no XML types');
					}
					break;
				}
				case contentAny: {
					const length = reader.varUint();
					for (let i = 0; i < length; i++) skipAny(reader, maxDepth);
					break;
				}
				default:
					// JSON, binary, embeds, formatting and subdocuments have no place in a board.
					throw new RefusedUpdate(`content of kind ${ref} has no place in a board`);
			}
		}
	}
	const deleting = reader.varUint();
	for (let c = 0; c < deleting; c++) {
		reader.varUint(); // client
		const ranges = reader.varUint();
		for (let r = 0; r < ranges; r++) {
			reader.varUint();
			reader.varUint();
		}
	}
	if (!reader.done) throw new RefusedUpdate('the update has trailing bytes');
}
