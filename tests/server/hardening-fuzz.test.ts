/**
 * Property-based fuzzing of every operation in the OpenAPI document: generated bodies, query
 * strings, headers and path ids (real ones of a fresh board, and random ones), sent as a board
 * owner who is also the admin. Every answer must be documented (the test client checks each
 * against the document) and none may be a 5xx.
 *
 * Replay a failure with the seed it prints: FUZZ_SEED=<seed> (and FUZZ_RUNS=<n>, default 25).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/lib/server/api/openapi/document.ts';
import type {
	HttpMethod,
	OperationObject,
	ParameterObject,
	Reference
} from '../../src/lib/server/api/openapi/types.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, createBoard, signUp, type Client, type TestUser } from './support/http.ts';
import { queryValueFor, valueFor, type ArbitraryContext } from './support/openapi-arbitraries.ts';
import { responseChecker } from './support/openapi.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20261204);
const numRuns = Number(process.env.FUZZ_RUNS ?? 25);
const password = 'a long enough passphrase';
const doc = openApiDocument();

interface Operation {
	method: HttpMethod;
	path: string;
	op: OperationObject;
}

const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
	Object.entries(methods).map(([method, op]) => ({
		method: method as HttpMethod,
		path,
		op: op as OperationObject
	}))
);

let t: TestApp;
let api: Client;
let owner: TestUser;
let member: TestUser;
beforeAll(async () => {
	// Throttles off: they would answer most runs with 429 and hide everything behind it.
	t = await startTestApp({
		API_RATE_LIMIT: '1000000',
		LOGIN_MAX_PER_ACCOUNT: '1000',
		LOGIN_MAX_PER_IP: '100000'
	});
	api = client(t.url);
	owner = await signUp(api, 'Fuzz Owner');
	member = await signUp(api, 'Fuzz Member');
	expect(owner.role).toBe('admin');
	console.log(`hardening-fuzz: seed ${seed}, ${numRuns} runs per operation (FUZZ_SEED to replay)`);
});
afterAll(async () => {
	await t?.stop();
});

/**
 * Real ids for one operation's runs: a fresh board with a member, its columns, a task, a token,
 * and a session of its own (so signing out, or the admin changing the member, stays local).
 */
async function fixture() {
	const login = await api.post('/api/v1/auth/login', { email: owner.email, password });
	expect(login.status).toBe(200);
	const token = login.body.sessionToken as string;
	const reset = await api.patch(
		`/api/v1/admin/users/${member.id}`,
		{ disabled: false, role: 'user' },
		{ token }
	);
	expect(reset.status).toBe(200);
	const board = await createBoard(api, { ...owner, token });
	const added = await api.post(
		`/api/v1/boards/${board.id}/members`,
		{ email: member.email, role: 'editor' },
		{ token }
	);
	expect(added.status).toBe(201);
	const columns = await api.get(`/api/v1/boards/${board.id}/columns`, { token });
	const columnIds = (columns.body.items as { id: string }[]).map((c) => c.id);
	const task = await api.post(`/api/v1/boards/${board.id}/tasks`, { title: 'Fuzzed' }, { token });
	expect(task.status).toBe(201);
	const pat = await api.post('/api/v1/tokens', { name: 'fuzz', scope: 'read' }, { token });
	expect(pat.status).toBe(201);
	return {
		token,
		byParam: {
			board: board.id,
			task: task.body.id as string,
			token: pat.body.id as string,
			user: member.id,
			column: columnIds[0]!
		},
		ids: [board.id, task.body.id as string, member.id, owner.id, ...columnIds]
	};
}

/** Which real id a path parameter takes, from the path it appears in. */
function realIdFor(
	path: string,
	name: string,
	ids: Awaited<ReturnType<typeof fixture>>['byParam']
) {
	if (name === 'userId') return ids.user;
	if (name === 'columnId') return ids.column;
	if (path.startsWith('/api/v1/tasks/')) return ids.task;
	if (path.startsWith('/api/v1/tokens/')) return ids.token;
	if (path.startsWith('/api/v1/admin/users/')) return ids.user;
	return ids.board;
}

function parameter(entry: ParameterObject | Reference): ParameterObject {
	if (!('$ref' in entry)) return entry;
	return doc.components.parameters[entry.$ref.replace('#/components/parameters/', '')]!;
}

const headerValue = fc.oneof(
	fc.constantFrom('*', '"1"', '"999999"', 'W/"1"', '', 'key-1'),
	fc.stringMatching(/^[\x21-\x7e]{1,40}$/)
);
const pathJunk = fc.oneof(
	fc.uuid(),
	fc.constantFrom('not-a-uuid', '0', '%00', '%ZZ', 'x'.repeat(300)),
	fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 })
);

interface Generated {
	path: Record<string, string>;
	query: Record<string, string | undefined>;
	headers: Record<string, string | undefined>;
	body: { value: unknown } | null;
	/** Send the body as it is not JSON at all. */
	rawBody: string | null;
}

function requestArbitrary(
	o: Operation,
	ctx: ArbitraryContext,
	ids: Awaited<ReturnType<typeof fixture>>['byParam']
): fc.Arbitrary<Generated> {
	const params = (o.op.parameters ?? []).map(parameter);
	const pick = (where: ParameterObject['in']) => params.filter((p) => p.in === where);
	const path = Object.fromEntries(
		pick('path').map((p) => [
			p.name,
			fc.oneof(
				{ weight: 6, arbitrary: fc.constant(realIdFor(o.path, p.name, ids)) },
				{ weight: 1, arbitrary: pathJunk }
			)
		])
	);
	const queryValues = Object.fromEntries(
		pick('query').map((p) => [p.name, queryValueFor(p.schema, ctx)])
	);
	const names = Object.keys(queryValues);
	// One parameter alone half the time: with many at once, one bad value refuses the request
	// before another's checks (and the code behind them) are reached.
	const query =
		names.length === 0
			? fc.constant({})
			: fc.oneof(
					fc.record(queryValues, { requiredKeys: [] }),
					fc
						.constantFrom(...names)
						.chain((name) => queryValues[name]!.map((value) => ({ [name]: value })))
				);
	const headers = Object.fromEntries(pick('header').map((p) => [p.name, headerValue]));
	const schema = o.op.requestBody?.content['application/json']?.schema;
	const body = schema ? valueFor(schema, ctx).map((value) => ({ value })) : fc.constant(null);
	return fc.record({
		path: fc.record(path),
		query,
		headers: fc.record(headers, { requiredKeys: [] }),
		body,
		rawBody: fc.oneof(
			{ weight: 12, arbitrary: fc.constant(null) },
			{ weight: 1, arbitrary: fc.constantFrom('{', '[1,', '{"a":"\\ud800"', 'null', '"x"') }
		)
	});
}

async function send(o: Operation, g: Generated, token: string) {
	const url = o.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(g.path[name]!));
	const search = new URLSearchParams();
	for (const [name, value] of Object.entries(g.query))
		if (value !== undefined) search.set(name, value);
	const target = search.size > 0 ? `${url}?${search}` : url;
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(g.headers))
		if (value !== undefined) headers[name] = value;
	if (o.op.responses['200']?.content?.['text/event-stream']) {
		return stream(target, { ...headers, authorization: `Bearer ${token}` });
	}
	const raw = g.body ? (g.rawBody ?? JSON.stringify(g.body.value) ?? 'null') : undefined;
	return api.request(o.method.toUpperCase(), target, undefined, { token, headers, raw });
}

/** A stream never ends by itself: check the status and headers, then hang up. */
async function stream(target: string, headers: Record<string, string>) {
	const abort = new AbortController();
	const url = new URL(target, t.url);
	const res = await fetch(url, { headers, signal: abort.signal });
	const json = !(res.headers.get('content-type') ?? '').startsWith('text/event-stream');
	const text = json ? await res.text() : '';
	abort.abort();
	const body = json && text ? JSON.parse(text) : text;
	responseChecker().check({
		method: 'GET',
		url,
		status: res.status,
		headers: res.headers,
		body,
		text
	});
	return { status: res.status, body };
}

describe('fuzzing every documented operation', () => {
	it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
		'%s never answers 5xx and always as documented',
		async (_name, o) => {
			const { token, byParam, ids } = await fixture();
			const ctx: ArbitraryContext = { doc, ids };
			await fc.assert(
				fc.asyncProperty(requestArbitrary(o, ctx, byParam), async (g) => {
					const res = await send(o, g, token);
					expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
				}),
				{ seed, numRuns, endOnFailure: true }
			);
		},
		60_000
	);
});
