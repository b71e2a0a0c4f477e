/**
 * Fractional ranks: string keys that sort with plain `<` and always leave room for another key
 * between any two distinct ones, so inserting or moving an item writes only that item.
 *
 * A rank is an integer part followed by an optional fraction, all in base-62 digits whose ASCII
 * order is their numeric order. The integer part's first character (`a`–`z` for the positive
 * side, `Z`–`A` going down) says how many digits follow, so appending at the end only
 * increments an integer whose length grows logarithmically (62 ranks of 2 characters, then 3,844
 * of 3, …) rather than growing the fraction by a character every few appends. The fraction never
 * ends in `0`: otherwise `x` and `x0` would be equal numbers but distinct keys with nothing
 * between them.
 */

const digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base = digits.length;
const zero = digits[0] as string;
const top = digits[base - 1] as string;

/** Heads in ascending order; the head's distance from `a` gives the integer's digit count. */
const heads = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const firstPositiveHead = heads.indexOf('a');

function digitCount(head: string): number {
	const index = heads.indexOf(head);
	if (index < 0) return -1;
	return index >= firstPositiveHead ? index - firstPositiveHead + 1 : firstPositiveHead - index;
}

function digitValue(char: string): number {
	return digits.indexOf(char);
}

/** The smallest rank there is; nothing can be placed before it. */
const minimumRank = (heads[0] as string) + zero.repeat(digitCount(heads[0] as string));

function integerLength(rank: string): number {
	const count = digitCount(rank.charAt(0));
	return count < 0 ? -1 : count + 1;
}

/** Whether a string is a well-formed rank (documents from other clients may hold anything). */
export function isValidRank(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	const length = integerLength(value);
	if (length < 0 || value.length < length) return false;
	for (let i = 1; i < value.length; i++) {
		if (digitValue(value.charAt(i)) < 0) return false;
	}
	return value.length === length || value.charAt(value.length - 1) !== zero;
}

function split(rank: string): { integer: string; fraction: string } {
	const length = integerLength(rank);
	return { integer: rank.slice(0, length), fraction: rank.slice(length) };
}

/** The next integer part, or null past the largest one. */
function increment(integer: string): string | null {
	const head = integer.charAt(0);
	const body = integer.slice(1).split('');
	for (let i = body.length - 1; i >= 0; i--) {
		const value = digitValue(body[i] as string);
		if (value < base - 1) {
			body[i] = digits[value + 1] as string;
			return head + body.join('');
		}
		body[i] = zero;
	}
	const nextHead = heads[heads.indexOf(head) + 1];
	if (nextHead === undefined) return null;
	return nextHead + zero.repeat(digitCount(nextHead));
}

/** The previous integer part, or null before the smallest one. */
function decrement(integer: string): string | null {
	const head = integer.charAt(0);
	const body = integer.slice(1).split('');
	for (let i = body.length - 1; i >= 0; i--) {
		const value = digitValue(body[i] as string);
		if (value > 0) {
			body[i] = digits[value - 1] as string;
			return head + body.join('');
		}
		body[i] = top;
	}
	const previousHead = heads[heads.indexOf(head) - 1];
	if (previousHead === undefined) return null;
	return previousHead + top.repeat(digitCount(previousHead));
}

/**
 * A fraction strictly between `low` and `high` (null meaning 1), read as base-62 digit strings
 * after the point, with no trailing zero.
 */
function fractionBetween(low: string, high: string | null): string {
	if (high !== null) {
		let common = 0;
		while ((low.charAt(common) || zero) === high.charAt(common)) common++;
		if (common > 0) {
			const rest = fractionBetween(low.slice(common), high.slice(common));
			return high.slice(0, common) + rest;
		}
	}
	const lowDigit = low ? digitValue(low.charAt(0)) : 0;
	const highDigit = high === null ? base : digitValue(high.charAt(0));
	if (highDigit - lowDigit > 1) return digits[Math.floor((lowDigit + highDigit) / 2)] as string;
	if (high !== null && high.length > 1) return high.charAt(0);
	return (digits[lowDigit] as string) + fractionBetween(low.slice(1), null);
}

/** Whether `rankBetween(a, b)` can succeed. */
export function canRankBetween(a: string | null, b: string | null): boolean {
	if (a !== null && !isValidRank(a)) return false;
	if (b !== null && !isValidRank(b)) return false;
	if (a !== null && b !== null) return a < b;
	return !(a === null && b === minimumRank);
}

/**
 * A rank strictly between `a` and `b`; null stands for the start or the end. Repeated appends
 * (`rankBetween(last, null)`) and prepends stay short. Throws a RangeError when `a` is not
 * below `b` or either is malformed; check with `canRankBetween` first.
 */
export function rankBetween(a: string | null, b: string | null): string {
	if (!canRankBetween(a, b)) {
		throw new RangeError(`No rank between ${String(a)} and ${String(b)}`);
	}
	if (a === null && b === null) return heads.charAt(firstPositiveHead) + zero;
	if (a === null) {
		const upper = split(b as string);
		if (upper.fraction) return upper.integer;
		const previous = decrement(upper.integer);
		if (previous !== null) return previous;
		throw new RangeError('No rank before the minimum rank');
	}
	const lower = split(a);
	if (b === null) {
		const next = increment(lower.integer);
		return next ?? lower.integer + fractionBetween(lower.fraction, null);
	}
	const upper = split(b);
	if (lower.integer === upper.integer) {
		return lower.integer + fractionBetween(lower.fraction, upper.fraction);
	}
	// Prefer the next whole integer: it is shorter and leaves room on both sides.
	const next = increment(lower.integer);
	if (next !== null && next < b) return next;
	return lower.integer + fractionBetween(lower.fraction, null);
}

/** Longer ranks are not produced by honest clients in practice; treating them as empty bounds abuse. */
const maxRankLength = 1024;

/**
 * A rank as read from a document: one that could not be stored as text (NUL, lone surrogate) is
 * empty, like an overlong one. Every reader of stored ranks goes through here.
 */
export function storedRank(value: unknown): string {
	return typeof value === 'string' &&
		value.length <= maxRankLength &&
		value.isWellFormed() &&
		!value.includes('\u0000')
		? value
		: '';
}

/** Orders ranked items by (rank, id): equal ranks from concurrent inserts are ordered by id. */
export function compareRanked(
	a: { rank: string; id: string },
	b: { rank: string; id: string }
): number {
	if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}
