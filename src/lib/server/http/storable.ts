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

/** The path (`labels.1`, `title`) of the first string or key that cannot be stored, if any. */
export function unstorablePath(value: unknown, path: string[] = []): string | null {
	if (typeof value === 'string') return storable(value) ? null : path.join('.') || '_';
	if (typeof value !== 'object' || value === null) return null;
	for (const [key, item] of Object.entries(value)) {
		const here = [...path, key];
		if (!storable(key)) return here.join('.');
		const found = unstorablePath(item, here);
		if (found !== null) return found;
	}
	return null;
}

/** Field errors for `value` when it holds an unstorable string, else null. */
export function unstorableErrors(value: unknown): FieldErrors | null {
	const path = unstorablePath(value);
	return path === null ? null : { [path]: unstorableMessage };
}
