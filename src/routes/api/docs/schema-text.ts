/** JSON Schema in words for the reference page: a type line (with links to named schemas). */
import type { JsonSchema } from '$lib/api/openapi';

/** A piece of a type line: plain text, or the name of a schema to link to. */
export type TypePart = { text: string } | { ref: string };

const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const asSchemas = (value: unknown) => (Array.isArray(value) ? (value as JsonSchema[]) : []);

function join(parts: TypePart[][], separator: string): TypePart[] {
	return parts.flatMap((part, i) => (i === 0 ? part : [{ text: separator }, ...part]));
}

/** `string (uuid) or null`, `array of Task`, `map of string to string`, … */
export function typeParts(schema: JsonSchema): TypePart[] {
	if (typeof schema.$ref === 'string') return [{ ref: refName(schema.$ref) }];
	const union = asSchemas(schema.anyOf ?? schema.oneOf);
	if (union.length > 0) return join(union.map(typeParts), ' or ');
	if ('const' in schema) return [{ text: JSON.stringify(schema.const) }];
	const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
	return join(
		types.filter(Boolean).map((type): TypePart[] => {
			if (type === 'array' && schema.items) {
				return [{ text: 'array of ' }, ...typeParts(schema.items as JsonSchema)];
			}
			if (type === 'object' && !schema.properties && isSchema(schema.additionalProperties)) {
				const values = schema.additionalProperties as JsonSchema;
				if (Object.keys(values).length === 0) return [{ text: 'object' }];
				return [{ text: 'map of string to ' }, ...typeParts(values)];
			}
			if (type === 'string' && typeof schema.format === 'string') {
				return [{ text: `string (${schema.format})` }];
			}
			return [{ text: type }];
		}),
		' or '
	);
}

const isSchema = (value: unknown): value is JsonSchema =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The inline object schema (one with properties) a property holds, if any, for nesting. */
export function nestedObject(schema: JsonSchema): JsonSchema | null {
	if (schema.properties) return schema;
	for (const branch of asSchemas(schema.anyOf ?? schema.oneOf)) {
		if (branch.properties) return branch;
	}
	if (isSchema(schema.items) && schema.items.properties) return schema.items;
	return null;
}

/** Limits worth telling a reader: allowed values, lengths, ranges, patterns without a format. */
export function constraints(schema: JsonSchema): string[] {
	const out: string[] = [];
	const branches = [schema, ...asSchemas(schema.anyOf ?? schema.oneOf)];
	for (const s of branches) {
		if (Array.isArray(s.enum)) out.push(`One of: ${s.enum.map((v) => String(v)).join(', ')}.`);
		const min = s.minLength as number | undefined;
		const max = s.maxLength as number | undefined;
		if (min !== undefined && max !== undefined) out.push(`${min} to ${max} characters.`);
		else if (max !== undefined) out.push(`At most ${max} characters.`);
		else if (min !== undefined && min > 0) out.push(`At least ${min} characters.`);
		const safe = Number.MAX_SAFE_INTEGER;
		const low = s.minimum as number | undefined;
		const high = s.maximum as number | undefined;
		if (low !== undefined && low > -safe) out.push(`At least ${low}.`);
		if (high !== undefined && high < safe) out.push(`At most ${high}.`);
		if (typeof s.pattern === 'string' && !s.format && !s.enum) out.push(`Pattern: ${s.pattern}`);
	}
	return out;
}

/** Splits text at `backticks` so the page can set code spans without raw HTML. */
export function codeSpans(text: string): { code: boolean; text: string }[] {
	return text
		.split('`')
		.map((part, i) => ({ code: i % 2 === 1, text: part }))
		.filter((part) => part.text !== '');
}
