import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../src/lib/server/api/openapi/document.ts';
import type { JsonSchema, OpenApiDocument } from '../../src/lib/server/api/openapi/types.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { client, signUp } from './support/http.ts';
import { addDocument, createAjv, ResponseChecker } from './support/openapi.ts';
import { openApi31Structure } from './support/openapi-structure.ts';

const routesRoot = 'src/routes';
const apiRoot = join(routesRoot, 'api/v1');
const doc = buildOpenApiDocument();

/** `METHOD /api/v1/…{param}` for every handler exported by a +server.ts under src/routes/api/v1. */
function handlers(): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name === '+server.ts') {
				const route = `/${relative(routesRoot, dir)}`
					.split('/')
					.filter((part) => !/^\(.*\)$/.test(part))
					.join('/')
					.replace(/\[(\w+)\]/g, '{$1}');
				if (/[[\]]/.test(route)) throw new Error(`unsupported route segment in ${route}`);
				const source = readFileSync(path, 'utf8');
				const methods = source.matchAll(
					/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g
				);
				for (const [, method] of methods) found.push(`${method} ${route}`);
			}
		}
	};
	walk(apiRoot);
	return found.sort();
}

function documented(document: OpenApiDocument): string[] {
	return Object.entries(document.paths)
		.flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`))
		.sort();
}

/** Every `$ref` in the document, with where it is. */
function references(value: unknown, at = '#'): [string, string][] {
	if (Array.isArray(value)) return value.flatMap((item, i) => references(item, `${at}/${i}`));
	if (typeof value !== 'object' || value === null) return [];
	return Object.entries(value).flatMap(([key, item]): [string, string][] =>
		key === '$ref' && typeof item === 'string' ? [[at, item]] : references(item, `${at}/${key}`)
	);
}

function resolve(pointer: string): unknown {
	return pointer
		.replace(/^#\//, '')
		.split('/')
		.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

describe('the OpenAPI document', () => {
	it('describes every handler under src/routes/api/v1, and nothing that does not exist', () => {
		const routes = handlers();
		expect(routes.length).toBeGreaterThan(25);
		expect(documented(doc)).toEqual(routes);
	});

	it('has the structure of OpenAPI 3.1', () => {
		const ajv = createAjv();
		ajv.addFormat('uri', /^[a-z][a-z\d+.-]*:\S*$/i);
		ajv.addFormat('uri-reference', /^\S*$/);
		const validate = ajv.compile(openApi31Structure);
		expect(validate(doc), ajv.errorsText(validate.errors)).toBe(true);
		// The structure check itself refuses a misplaced field.
		const broken = structuredClone(doc) as unknown as Record<string, any>;
		broken.paths['/api/v1/me'].get.response = {};
		expect(validate(broken)).toBe(false);
	});

	it('resolves every reference, and names only declared tags and security schemes', () => {
		const refs = references(doc);
		expect(refs.length).toBeGreaterThan(100);
		for (const [at, target] of refs) expect(resolve(target), `${at} → ${target}`).toBeDefined();
		const tags = new Set(doc.tags.map((tag) => tag.name));
		const schemes = new Set(Object.keys(doc.components.securitySchemes));
		const ids = new Set<string>();
		for (const item of Object.values(doc.paths)) {
			for (const op of Object.values(item)) {
				expect(ids.has(op.operationId), op.operationId).toBe(false);
				ids.add(op.operationId);
				for (const tag of op.tags) expect(tags.has(tag), tag).toBe(true);
				for (const requirement of op.security ?? doc.security) {
					for (const name of Object.keys(requirement)) expect(schemes.has(name), name).toBe(true);
				}
				const success = Object.keys(op.responses).filter((status) => /^[23]/.test(status));
				expect(success.length, `${op.operationId} has no success answer`).toBeGreaterThan(0);
			}
		}
	});

	it('holds schemas that ajv compiles in strict mode, and examples they accept', () => {
		const ajv = createAjv();
		addDocument(ajv, doc);
		for (const name of Object.keys(doc.components.schemas)) {
			expect(
				() => ajv.compile({ $ref: `https://taskflow.invalid/openapi.json#/$defs/${name}` }),
				name
			).not.toThrow();
		}
		const inline: JsonSchema[] = [
			...Object.values(doc.components.parameters).map((p) => p.schema),
			...Object.values(doc.components.headers).map((h) => h.schema)
		];
		let examples = 0;
		for (const item of Object.values(doc.paths)) {
			for (const op of Object.values(item)) {
				for (const param of op.parameters ?? []) if ('schema' in param) inline.push(param.schema);
				for (const response of Object.values(op.responses)) {
					for (const header of Object.values(response.headers ?? {})) {
						if ('schema' in header) inline.push(header.schema);
					}
				}
				const body = op.requestBody?.content['application/json'];
				if (body?.example !== undefined) {
					const ref = String(body.schema.$ref).replace('#/components/schemas/', '');
					const validate = ajv.compile({
						$ref: `https://taskflow.invalid/openapi.json#/$defs/${ref}`
					});
					expect(
						validate(body.example),
						`${op.operationId}: ${ajv.errorsText(validate.errors)}`
					).toBe(true);
					examples++;
				}
			}
		}
		for (const schema of inline) expect(() => ajv.compile(schema)).not.toThrow();
		expect(examples).toBeGreaterThan(10);
	});

	it('is generated from the request schemas: a body field and a query parameter as zod checks them', () => {
		const createTask = doc.components.schemas.CreateTaskBody!;
		expect(createTask).toMatchObject({
			type: 'object',
			required: ['title'],
			additionalProperties: false,
			properties: { priority: { enum: ['low', 'medium', 'high', 'urgent'] } }
		});
		const list = doc.paths['/api/v1/boards/{id}/tasks']!.get!.parameters!;
		expect(list).toContainEqual(
			expect.objectContaining({ name: 'limit', in: 'query', required: false })
		);
	});

	// An unknown field is refused everywhere, never dropped: an `email` sent to the admin user
	// PATCH was silently not applied, while tasks and webhooks answered 422.
	it('refuses unknown fields in every JSON request body (additionalProperties: false)', () => {
		const open: string[] = [];
		const visit = (schema: JsonSchema, where: string) => {
			const ref = typeof schema.$ref === 'string' ? schema.$ref : null;
			if (ref) return visit(doc.components.schemas[ref.split('/').pop()!]!, where);
			const parts = [schema.anyOf, schema.oneOf, schema.allOf] as (JsonSchema[] | undefined)[];
			for (const part of parts.flatMap((list) => list ?? [])) {
				visit(part, where);
			}
			// Nested objects too (a batch's items, an import's mapping), except maps whose values
			// are typed (`additionalProperties: {…}`), where any key is a value.
			const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
			for (const [name, child] of Object.entries(properties)) visit(child, `${where} ${name}`);
			if (schema.items && typeof schema.items === 'object') {
				visit(schema.items as JsonSchema, `${where}[]`);
			}
			const isMap = typeof schema.additionalProperties === 'object';
			if (schema.type === 'object' && schema.additionalProperties !== false && !isMap) {
				open.push(where);
			}
		};
		let bodies = 0;
		for (const [path, item] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(item)) {
				const body = op.requestBody?.content['application/json'];
				if (!body) continue;
				bodies++;
				visit(body.schema, `${method.toUpperCase()} ${path}`);
			}
		}
		expect(bodies).toBeGreaterThan(20);
		expect(open).toEqual([]);
	});
});

describe('checking answers against the document', () => {
	const checker = new ResponseChecker(doc);
	const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
		method: 'GET',
		url: new URL('http://test/api/v1/me'),
		status,
		headers: new Headers({ 'content-type': 'application/json', ...headers }),
		body,
		text: JSON.stringify(body)
	});
	const me = {
		id: '3f0c2b7e-9a41-4d8e-b1c3-5e6f7a8b9c0d',
		email: 'ada@example.com',
		name: 'Ada',
		role: 'user',
		disabledAt: null,
		createdAt: '2026-01-01T00:00:00.000Z'
	};

	it('accepts a documented answer', () => {
		expect(() => checker.check(answer(200, me, { etag: '"abc"' }))).not.toThrow();
		const notModified = { ...answer(304, '', { etag: '"abc"' }), text: '' };
		expect(() => checker.check(notModified)).not.toThrow();
	});

	it('refuses an undocumented status, a body that does not match, a missing header and an unknown operation', () => {
		// Every JSON read carries an ETag.
		expect(() => checker.check(answer(200, me))).toThrow(/must send ETag/);
		expect(() => checker.check(answer(418, me))).toThrow(
			/getMe \(GET \/api\/v1\/me\) does not list 418/
		);
		expect(() => checker.check(answer(200, { ...me, role: 'owner' }, { etag: '"a"' }))).toThrow(
			/body does not match getMe.*\n.*\/role must be equal to one of the allowed values/
		);
		expect(() => checker.check(answer(200, { ...me, extra: 1 }, { etag: '"a"' }))).toThrow(
			/additional properties/
		);
		expect(() =>
			checker.check({
				...answer(200, me),
				headers: new Headers({ 'content-type': 'text/html', etag: '"a"' })
			})
		).toThrow(/documented as application\/json, got text\/html/);
		const problem = { type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'x' };
		expect(() =>
			checker.check(answer(429, problem, { 'content-type': 'application/problem+json' }))
		).toThrow(/must send Retry-After/);
		expect(() => checker.check({ ...answer(200, me), method: 'PUT' })).toThrow(
			/has no PUT \/api\/v1\/me/
		);
	});
});

describe('served', () => {
	let t: TestApp;
	beforeAll(async () => {
		t = await startTestApp();
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('serves the document at /api/v1/openapi.json without authentication', async () => {
		const api = client(t.url);
		const res = await api.get('/api/v1/openapi.json');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		// The built server's copy of the registry produces exactly the in-process document.
		expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
	});

	it('renders the reference at /api/docs for anonymous visitors, from the same document', async () => {
		const res = await fetch(`${t.url}/api/docs`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toMatch(/<h1[^>]*>TaskFlow API reference<\/h1>/);
		expect(html).toMatch(/<nav[^>]*aria-label="API reference"/);
		for (const item of Object.values(doc.paths)) {
			for (const op of Object.values(item)) {
				expect(html, op.operationId).toContain(`id="op-${op.operationId}"`);
			}
		}
		for (const name of Object.keys(doc.components.schemas))
			expect(html).toContain(`id="schema-${name}"`);
		expect(html).toContain(`curl -X POST "${t.url}/api/v1/boards/$BOARD_ID/tasks"`);
		// No assets from elsewhere: the page must work without internet access.
		const external = [...html.matchAll(/(?:src|href)="(https?:[^"]*)"/g)]
			.map((m) => m[1]!)
			.filter((url) => !url.startsWith(t.url));
		expect(external).toEqual([]);
		// Every in-page link has its target.
		for (const [, id] of html.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`id="${id}"`);
	});

	it('shows the same reference to a signed-in user', async () => {
		const api = client(t.url);
		const ana = await signUp(api, 'Ana');
		const res = await fetch(`${t.url}/api/docs`, {
			headers: { cookie: `tf_session=${ana.token}` }
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toMatch(/data-testid="current-user"[^>]*>Ana</);
	});
});
