/**
 * fast-check arbitraries derived from the OpenAPI document's JSON Schemas: mostly values of the
 * documented shape, salted with the inputs that have broken servers before (NUL, lone
 * surrogates, line breaks, overlong text, impossible dates, wrong types).
 */
import fc from 'fast-check';
import type { JsonSchema, OpenApiDocument } from '../../../src/lib/server/api/openapi/types.ts';

/** Strings that are each a known way to trip a server. */
export const nastyStrings = [
	'',
	' ',
	'\u0000',
	'nul\u0000inside',
	'x\ud800',
	'\udc00lead',
	'two\nlines',
	'tab\there',
	'x'.repeat(256),
	'😀'.repeat(128),
	'2026-13-45',
	'0000-00-00',
	'9999-12-31T23:59:60Z',
	'-1',
	'0',
	'1e309',
	'null',
	'true',
	'%00',
	'%',
	'\u202etxt',
	"'; drop table users; --",
	'../../etc/passwd',
	'<script>alert(1)</script>',
	'00000000-0000-0000-0000-000000000000',
	'ffffffff-ffff-ffff-ffff-ffffffffffff'
];

const text = (max = 300) =>
	fc.oneof(
		{ weight: 3, arbitrary: fc.string({ maxLength: Math.min(max, 40) }) },
		{ weight: 2, arbitrary: fc.constantFrom(...nastyStrings) },
		{ weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(max, 40) }) }
	);

/** Any JSON value of the wrong kind now and then, so type checks are exercised too. */
const sometimesWrong = (arb: fc.Arbitrary<unknown>) =>
	fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) });

export interface ArbitraryContext {
	doc: OpenApiDocument;
	/** Real ids to prefer for uuid fields (the board's columns, tasks, members). */
	ids: string[];
}

/** A value for `schema`: usually the documented shape, sometimes subtly (or plainly) not. */
export function valueFor(
	schema: JsonSchema,
	ctx: ArbitraryContext,
	depth = 0
): fc.Arbitrary<unknown> {
	const s = schema as Record<string, any>;
	if (typeof s.$ref === 'string') {
		const name = s.$ref.replace('#/components/schemas/', '');
		return valueFor(ctx.doc.components.schemas[name] as JsonSchema, ctx, depth);
	}
	const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
	if (alternatives) return fc.oneof(...alternatives.map((a) => valueFor(a, ctx, depth)));
	if ('const' in s) return sometimesWrong(fc.constant(s.const));
	if (Array.isArray(s.enum)) return sometimesWrong(fc.constantFrom(...(s.enum as unknown[])));
	if (Array.isArray(s.type)) {
		return fc.oneof(...(s.type as string[]).map((type) => valueFor({ ...s, type }, ctx, depth)));
	}
	switch (s.type) {
		case 'string':
			return sometimesWrong(stringFor(s, ctx));
		case 'integer':
		case 'number':
			return sometimesWrong(
				fc.oneof(
					fc.integer({ min: -2, max: 1001 }),
					fc.double({ noNaN: true }),
					fc.maxSafeInteger()
				)
			);
		case 'boolean':
			return sometimesWrong(fc.boolean());
		case 'null':
			return fc.constant(null);
		case 'array':
			return sometimesWrong(
				fc.array(s.items ? valueFor(s.items, ctx, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
					maxLength: Math.min(s.maxItems ?? 25, 25)
				})
			);
		case 'object':
			return depth > 3 ? fc.constant({}) : objectFor(s, ctx, depth);
		default:
			return fc.jsonValue({ maxDepth: 2 });
	}
}

function stringFor(s: Record<string, any>, ctx: ArbitraryContext): fc.Arbitrary<string> {
	if (s.format === 'uuid') {
		return fc.oneof(
			{ weight: 4, arbitrary: fc.constantFrom(...ctx.ids) },
			{ weight: 1, arbitrary: fc.uuid() },
			{ weight: 1, arbitrary: text(40) }
		);
	}
	if (s.format === 'date-time') {
		const instant = fc
			.date({ min: new Date('1969-01-01'), max: new Date('2300-01-01'), noInvalidDate: true })
			.map((d) => d.toISOString());
		return fc.oneof({ weight: 3, arbitrary: instant }, { weight: 1, arbitrary: text(40) });
	}
	if (s.format === 'email') return fc.oneof(fc.emailAddress(), text(300));
	const max = typeof s.maxLength === 'number' ? s.maxLength : 300;
	const matching = typeof s.pattern === 'string' ? patterned(s.pattern) : null;
	// Strings that pass the pattern reach the checks behind it (e.g. 2026-13-45 for a day).
	return matching
		? fc.oneof({ weight: 3, arbitrary: matching }, { weight: 1, arbitrary: text(max + 1) })
		: text(max + 1);
}

function patterned(pattern: string): fc.Arbitrary<string> | null {
	try {
		return fc.stringMatching(new RegExp(pattern));
	} catch {
		return null;
	}
}

function objectFor(
	s: Record<string, any>,
	ctx: ArbitraryContext,
	depth: number
): fc.Arbitrary<unknown> {
	const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
	const model = Object.fromEntries(
		Object.entries(properties).map(([key, value]) => [key, valueFor(value, ctx, depth + 1)])
	);
	const record = fc.record(model, { requiredKeys: (s.required ?? []) as string[] });
	// An unknown key, a missing required one, or not an object at all.
	return fc.oneof(
		{ weight: 6, arbitrary: record },
		{
			weight: 1,
			arbitrary: fc
				.tuple(record, fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }))
				.map(([value, key, extra]) => ({ ...(value as object), [key]: extra }))
		},
		{ weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
		{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }
	);
}

/** A query-string value: the documented shape as text, or any text. */
export function queryValueFor(schema: JsonSchema, ctx: ArbitraryContext): fc.Arbitrary<string> {
	return fc.oneof(
		{
			weight: 3,
			arbitrary: valueFor(schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
		},
		{ weight: 1, arbitrary: text(300) }
	);
}
