/**
 * PostgreSQL text and jsonb hold neither NUL nor lone surrogates (JSON.parse yields the latter
 * from a `\ud800` escape). Refusing them once, where bodies and query strings are read, keeps
 * every endpoint from having to remember; a value that slipped through would fail every later
 * store of its board.
 */
import type { FieldErrors } from './problem.ts';

export const unstorableMessage =
	'Contains a character that cannot be stored (NUL or an unpaired surrogate).';

const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed();

interface Visit {
	value: unknown;
	key: string | null;
	parent: Visit | null;
}

const pathOf = (visit: Visit): string => {
	const keys: string[] = [];
	for (let v: Visit | null = visit; v?.key != null; v = v.parent) keys.push(v.key);
	return keys.reverse().join('.') || '_';
};

/**
 * The path (`labels.1`, `title`) of the first string or key that cannot be stored, if any.
 * Iterative, with parent links instead of copied paths: a 256 KiB body can nest arrays deeper
 * than the call stack goes.
 */
export function unstorablePath(value: unknown): string | null {
	const pending: Visit[] = [{ value, key: null, parent: null }];
	for (let visit = pending.pop(); visit; visit = pending.pop()) {
		const item = visit.value;
		if (typeof item === 'string') {
			if (!storable(item)) return pathOf(visit);
			continue;
		}
		if (typeof item !== 'object' || item === null) continue;
		// Pushed in reverse, so the first offending field in document order is the one named.
		for (const [key, child] of Object.entries(item).reverse()) {
			const here: Visit = { value: child, key, parent: visit };
			if (!storable(key)) return pathOf(here);
			pending.push(here);
		}
	}
	return null;
}

/** Field errors for `value` when it holds an unstorable string, else null. */
export function unstorableErrors(value: unknown): FieldErrors | null {
	const path = unstorablePath(value);
	return path === null ? null : { [path]: unstorableMessage };
}
