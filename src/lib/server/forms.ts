import type { z } from 'zod';
import { fieldErrors } from './http/body.ts';
import { unstorableErrors } from './http/storable.ts';

/** Plain string fields of a submitted form, for validation and for refilling the form. */
export function formValues(data: FormData, names: string[]): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of names) {
		const value = data.get(name);
		values[name] = typeof value === 'string' ? value : '';
	}
	return values;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; fields: Record<string, string> };

export function validateForm<S extends z.ZodType>(
	schema: S,
	values: Record<string, string>
): FormResult<z.infer<S>> {
	const unstorable = unstorableErrors(values);
	if (unstorable) return { ok: false, fields: unstorable };
	const parsed = schema.safeParse(values);
	return parsed.success
		? { ok: true, data: parsed.data }
		: { ok: false, fields: fieldErrors(parsed.error) };
}

/** Only same-site paths, so a crafted link cannot bounce a fresh login to another site. */
export function safeRedirect(target: string | null, fallback = '/boards'): string {
	return target && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\')
		? target
		: fallback;
}
