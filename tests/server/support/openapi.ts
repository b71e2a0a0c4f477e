/**
 * Checks every API answer the tests receive against the OpenAPI document: the operation (method
 * and path template) must be documented, the status listed for it, the content type one of the
 * listed ones, required headers present, documented headers well-formed, and the JSON body valid
 * (ajv, JSON Schema 2020-12). A mismatch throws from the request, failing the test that made it.
 *
 * The document is built in-process from the operation registry, once per test file, rather than
 * fetched from the server under test: a fetch would be one more request counted by the rate
 * limiter that some tests measure exactly, and it would have to happen before the first request
 * of every file. openapi.test.ts checks that the served document is this same document.
 */
import { appendFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../../src/lib/server/api/openapi/document.ts';
import type {
	HeaderObject,
	HttpMethod,
	JsonSchema,
	OpenApiDocument,
	OperationObject,
	Reference
} from '../../../src/lib/server/api/openapi/types.ts';

const documentId = 'https://taskflow.invalid/openapi.json';

/** Ajv for the document's schemas: strict, every error, and the formats the document uses. */
export function createAjv(): Ajv2020 {
	const ajv = new Ajv2020({ strict: true, allErrors: true });
	ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
	ajv.addFormat(
		'date-time',
		(v) =>
			/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(v) &&
			Number.isFinite(Date.parse(v))
	);
	ajv.addFormat('date', (v) => /^\d{4}-\d\d-\d\d$/.test(v) && Number.isFinite(Date.parse(v)));
	ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
	return ajv;
}

/** `#/components/schemas/X` → an absolute reference into the schemas added to ajv. */
function absolute<T>(value: T): T {
	return JSON.parse(
		JSON.stringify(value).replaceAll('"#/components/schemas/', `"${documentId}#/$defs/`)
	) as T;
}

export function addDocument(ajv: Ajv2020, doc: OpenApiDocument): void {
	ajv.addSchema({ $id: documentId, $defs: absolute(doc.components.schemas) });
}

interface Route {
	template: string;
	pattern: RegExp;
	literals: number;
	methods: Partial<Record<HttpMethod, OperationObject>>;
}

export interface ResponseSeen {
	method: string;
	url: URL;
	status: number;
	headers: Headers;
	/** The body as parsed (JSON) or as text. */
	body: unknown;
	text: string;
}

export class ResponseChecker {
	readonly doc: OpenApiDocument;
	private readonly ajv = createAjv();
	private readonly routes: Route[];
	private readonly validators = new Map<string, ValidateFunction>();
	/** Answers checked so far (by this checker). */
	checked = 0;

	constructor(doc: OpenApiDocument) {
		this.doc = doc;
		addDocument(this.ajv, doc);
		this.routes = Object.entries(doc.paths)
			.map(([template, methods]) => ({
				template,
				methods,
				literals: template.split('/').filter((part) => part && !part.startsWith('{')).length,
				pattern: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`)
			}))
			// `/notifications/read` must win over `/notifications/{id}`.
			.sort((a, b) => b.literals - a.literals);
	}

	private validator(key: string, schema: JsonSchema): ValidateFunction {
		let validate = this.validators.get(key);
		if (!validate) {
			validate = this.ajv.compile(absolute(schema));
			this.validators.set(key, validate);
		}
		return validate;
	}

	private header(entry: HeaderObject | Reference): HeaderObject {
		if (!('$ref' in entry)) return entry;
		const name = entry.$ref.replace('#/components/headers/', '');
		return this.doc.components.headers[name]!;
	}

	/** Throws, naming the operation and what differs, unless the answer is documented. */
	check(seen: ResponseSeen): void {
		const path = seen.url.pathname;
		const method = seen.method.toLowerCase() as HttpMethod;
		// Only the versioned API is described; CORS preflights are answered before routing.
		if (!path.startsWith('/api/v1/') || method === ('options' as HttpMethod)) return;
		const where = `${seen.method} ${path} → ${seen.status}`;
		const route = this.routes.find((r) => r.pattern.test(path));
		const operation = route?.methods[method];
		if (!route || !operation) {
			// Unknown paths and methods answer 404 and 405 problems, outside any operation.
			const expected = route ? 405 : 404;
			if (seen.status !== expected) {
				throw new Error(
					`OpenAPI: ${where}, but the document has no ${route ? `${seen.method} ${route.template}` : `path matching ${path}`}.`
				);
			}
			this.checkBody(where, `problem ${expected}`, seen, {
				'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } }
			});
			this.checked++;
			record(`(no operation: ${seen.method} ${path}) ${seen.status}`);
			return;
		}
		const name = `${operation.operationId} (${seen.method} ${route.template})`;
		const response = operation.responses[String(seen.status)];
		if (!response) {
			throw new Error(
				`OpenAPI: ${where}: ${name} does not list ${seen.status} (it lists ${Object.keys(operation.responses).join(', ')}). Body: ${seen.text.slice(0, 300)}`
			);
		}
		for (const [header, entry] of Object.entries(response.headers ?? {})) {
			const spec = this.header(entry);
			const value = seen.headers.get(header);
			if (value === null) {
				if (spec.required) throw new Error(`OpenAPI: ${where}: ${name} must send ${header}.`);
				continue;
			}
			const validate = this.validator(`header ${header}`, spec.schema);
			if (!validate(value)) {
				throw new Error(
					`OpenAPI: ${where}: header ${header}: ${JSON.stringify(value)} ${this.ajv.errorsText(validate.errors)}`
				);
			}
		}
		this.checkBody(where, `${name} ${seen.status}`, seen, response.content);
		this.checked++;
		record(`${operation.operationId} ${seen.status}`);
	}

	private checkBody(
		where: string,
		what: string,
		seen: ResponseSeen,
		content: Record<string, { schema: JsonSchema }> | undefined
	): void {
		if (!content) {
			if (seen.text !== '') {
				throw new Error(`OpenAPI: ${where}: ${what} has no body, got ${seen.text.slice(0, 200)}`);
			}
			return;
		}
		const type = (seen.headers.get('content-type') ?? '').split(';')[0]!.trim();
		const media = content[type];
		if (!media) {
			throw new Error(
				`OpenAPI: ${where}: ${what} is documented as ${Object.keys(content).join(' or ')}, got ${type || 'no content type'}.`
			);
		}
		if (!type.endsWith('json')) return;
		const validate = this.validator(`${what} ${type}`, media.schema);
		if (!validate(seen.body)) {
			const errors = (validate.errors ?? [])
				.slice(0, 8)
				.map((e) => `  ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`)
				.join('\n');
			throw new Error(
				`OpenAPI: ${where}: the body does not match ${what}:\n${errors}\nBody: ${seen.text.slice(0, 500)}`
			);
		}
	}
}

/** With OPENAPI_RECORD=<file>, each checked answer is appended as "operationId status". */
function record(line: string): void {
	const file = process.env.OPENAPI_RECORD;
	if (file) appendFileSync(file, `${line}\n`);
}

let shared: ResponseChecker | null = null;

/** One checker per test file (each file runs in its own module graph). */
export function responseChecker(): ResponseChecker {
	shared ??= new ResponseChecker(openApiDocument());
	return shared;
}
