/**
 * Builds the OpenAPI 3.1 document from the operation registry. Request bodies and query strings
 * are converted from the zod schemas the handlers validate with (their input side: what a client
 * sends), response bodies from response-schemas.ts (their output side). Built once per process.
 */
import { z } from 'zod';
import { problemSchema, responseComponents } from '../response-schemas.ts';
import {
	apiDescription,
	commonHeaders,
	defaultSecurity,
	requestHeaders,
	responseHeaders,
	securityFor,
	securitySchemes,
	sharedProblems,
	type SharedProblem
} from './components.ts';
import { operations } from './operations.ts';
import { tags, type OperationSpec, type ResponseHeader, type ResponseSpec } from './spec.ts';
import type {
	HeaderObject,
	HttpMethod,
	JsonSchema,
	OpenApiDocument,
	OperationObject,
	ParameterObject,
	Reference,
	ResponseObject
} from './types.ts';

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);
const problemType = 'application/problem+json';

/** `$schema`/`$id` are per-resource keywords; inside one document they only get in the way. */
function bare(schema: JsonSchema): JsonSchema {
	const rest = { ...schema };
	delete rest.$schema;
	delete rest.$id;
	return rest;
}

type Registry = ReturnType<typeof z.registry<{ id: string }>>;

function nameOf(registry: Registry, schema: z.ZodType, fallback: string): string {
	const known = registry.get(schema)?.id;
	if (known) return known;
	registry.add(schema, { id: fallback });
	return fallback;
}

function convert(registry: Registry, io: 'input' | 'output'): Record<string, JsonSchema> {
	const uri = (id: string) => `#/components/schemas/${id}`;
	const { schemas } = z.toJSONSchema(registry, { io, uri }) as {
		schemas: Record<string, JsonSchema>;
	};
	if ('__shared' in schemas) throw new Error('OpenAPI: a schema is reused without a name');
	return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, bare(s)]));
}

function queryParameters(query: z.ZodObject): ParameterObject[] {
	return Object.entries(query.shape).map(([name, field]) => {
		const { description, ...schema } = bare(z.toJSONSchema(field, { io: 'input' }) as JsonSchema);
		return {
			name,
			in: 'query',
			required: !field.safeParse(undefined).success,
			...(typeof description === 'string' ? { description } : {}),
			schema
		};
	});
}

function pathParameters(op: OperationSpec): ParameterObject[] {
	const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
	const described = Object.keys(op.pathParams ?? {});
	if (names.join() !== described.join()) {
		throw new Error(`OpenAPI: ${op.id} must describe path parameters ${names.join(', ')}`);
	}
	return names.map((name) => ({
		name,
		in: 'path',
		required: true,
		description: op.pathParams![name],
		schema: { type: 'string', format: 'uuid' }
	}));
}

function headersOf(spec: Pick<ResponseSpec, 'headers' | 'requiredHeaders'>) {
	const headers: Record<string, HeaderObject | Reference> = {};
	for (const name of new Set([...(spec.headers ?? []), ...(spec.requiredHeaders ?? [])])) {
		headers[name] = spec.requiredHeaders?.includes(name)
			? { ...responseHeaders[name], required: true }
			: { $ref: `#/components/headers/${name}` };
	}
	for (const name of Object.keys(commonHeaders)) {
		headers[name] = { $ref: `#/components/headers/${name}` };
	}
	return headers;
}

/** The shared problem answers this operation gives, by its kind (see spec.ts). */
function sharedProblemsOf(op: OperationSpec): SharedProblem[] {
	const auth = op.auth ?? 'token';
	const shared: SharedProblem[] = [
		sharedProblems.rateLimited,
		sharedProblems.serverError,
		sharedProblems.databaseUnavailable
	];
	if (auth === 'token' || auth === 'session') shared.push(sharedProblems.unauthenticated);
	if (op.method !== 'GET') shared.push(sharedProblems.writeRefused);
	if (op.body) {
		const { malformedJson, tooLarge, notJson, invalidBody } = sharedProblems;
		shared.push(malformedJson, tooLarge, notJson, invalidBody);
	}
	if (op.query) shared.push(sharedProblems.invalidQuery);
	if (op.requestHeaders?.includes('If-Match')) shared.push(sharedProblems.malformedIfMatch);
	else if (op.method !== 'GET') shared.push(sharedProblems.ifMatchNotTaken);
	return shared;
}

function responsesOf(
	op: OperationSpec,
	schemaName: (schema: z.ZodType) => string
): Record<string, ResponseObject> {
	const answers = new Map<number, ResponseSpec>();
	for (const [status, spec] of Object.entries(op.responses)) answers.set(Number(status), spec!);
	const problems = new Map<
		number,
		{ reasons: string[]; headers: ResponseHeader[]; requiredHeaders: ResponseHeader[] }
	>();
	const problem = (status: number) => {
		if (answers.has(status)) throw new Error(`OpenAPI: ${op.id} lists ${status} twice`);
		const entry = problems.get(status) ?? { reasons: [], headers: [], requiredHeaders: [] };
		problems.set(status, entry);
		return entry;
	};
	for (const [status, spec] of Object.entries(op.problems ?? {})) {
		const entry = problem(Number(status));
		if (typeof spec === 'string') entry.reasons.push(spec);
		else {
			entry.reasons.push(spec.description);
			entry.headers.push(...spec.headers);
		}
	}
	for (const shared of sharedProblemsOf(op)) {
		const entry = problem(shared.status);
		entry.reasons.push(shared.description);
		entry.headers.push(...(shared.headers ?? []));
		entry.requiredHeaders.push(...(shared.requiredHeaders ?? []));
	}
	for (const [status, { reasons, headers, requiredHeaders }] of problems) {
		answers.set(status, {
			description: reasons.join(' '),
			schema: problemSchema,
			mediaType: problemType,
			headers,
			requiredHeaders
		});
	}
	const out: Record<string, ResponseObject> = {};
	for (const status of [...answers.keys()].sort((a, b) => a - b)) {
		const spec = answers.get(status)!;
		const response: ResponseObject = { description: spec.description, headers: headersOf(spec) };
		if (spec.schema || spec.mediaType) {
			// A body without a JSON schema (e.g. text/event-stream) is described as text.
			const schema = spec.schema ? schemaRef(schemaName(spec.schema)) : { type: 'string' };
			response.content = { [spec.mediaType ?? 'application/json']: { schema } };
			if (spec.alternativeMediaType) {
				response.content[spec.alternativeMediaType] = { schema: { type: 'string' } };
			}
		}
		out[String(status)] = response;
	}
	return out;
}

/**
 * Every successful JSON read carries an `ETag` (the endpoint's own or a hash of the body, see
 * `http/entity-tags.ts`) and answers `If-None-Match` with 304, so GET entries get both here.
 */
function withConditionalRead(op: OperationSpec): OperationSpec {
	const ok = op.responses[200];
	if (op.method !== 'GET' || !ok?.schema || (ok.mediaType && ok.mediaType !== 'application/json')) {
		return op;
	}
	const tagged = (list: ResponseHeader[] = []) => [...new Set([...list, 'ETag' as const])];
	return {
		...op,
		requestHeaders: [...new Set([...(op.requestHeaders ?? []), 'If-None-Match' as const])],
		responses: {
			...op.responses,
			200: { ...ok, headers: tagged(ok.headers), requiredHeaders: tagged(ok.requiredHeaders) },
			304: op.responses[304] ?? {
				description: '`If-None-Match` names the current `ETag`: nothing changed, no body.',
				headers: ['ETag'],
				requiredHeaders: ['ETag']
			}
		}
	};
}

export function buildOpenApiDocument(): OpenApiDocument {
	const requests: Registry = z.registry<{ id: string }>();
	const responses: Registry = z.registry<{ id: string }>();
	for (const [name, schema] of responseComponents) responses.add(schema, { id: name });

	const paths: OpenApiDocument['paths'] = {};
	const ids = new Set<string>();
	for (const registered of operations) {
		const op = withConditionalRead(registered);
		if (ids.has(op.id)) throw new Error(`OpenAPI: operation id ${op.id} is used twice`);
		ids.add(op.id);
		const method = op.method.toLowerCase() as HttpMethod;
		const item = (paths[op.path] ??= {});
		if (item[method]) throw new Error(`OpenAPI: ${op.method} ${op.path} is registered twice`);

		const parameters: (ParameterObject | Reference)[] = [
			...pathParameters(op),
			...(op.query ? queryParameters(op.query) : []),
			...(op.requestHeaders ?? []).map((name) => ({ $ref: `#/components/parameters/${name}` }))
		];
		const operation: OperationObject = {
			operationId: op.id,
			tags: [op.tag],
			summary: op.summary,
			...(op.description ? { description: op.description } : {}),
			...(securityFor[op.auth ?? 'token'] ? { security: securityFor[op.auth ?? 'token'] } : {}),
			...(parameters.length > 0 ? { parameters } : {}),
			responses: responsesOf(op, (schema) => nameOf(responses, schema, `${pascal(op.id)}Response`))
		};
		if (op.body) {
			const name = nameOf(requests, op.body, `${pascal(op.id)}Body`);
			operation.requestBody = {
				required: true,
				content: {
					'application/json': {
						schema: schemaRef(name),
						...(op.example === undefined ? {} : { example: op.example })
					},
					...(op.formBody
						? {
								'multipart/form-data': {
									schema: schemaRef(nameOf(requests, op.formBody, `${pascal(op.id)}Form`))
								}
							}
						: {})
				}
			};
		}
		item[method] = operation;
	}

	const schemas = convert(responses, 'output');
	for (const [name, schema] of Object.entries(convert(requests, 'input'))) {
		if (name in schemas) throw new Error(`OpenAPI: two schemas are named ${name}`);
		schemas[name] = schema;
	}
	return {
		openapi: '3.1.1',
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		info: { title: 'TaskFlow API', version: '1', description: apiDescription },
		tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
		security: defaultSecurity,
		paths,
		components: {
			schemas,
			parameters: requestHeaders,
			headers: { ...responseHeaders, ...commonHeaders },
			securitySchemes
		}
	};
}

let built: OpenApiDocument | null = null;

/** The document, built on first use (it never changes while the process runs). */
export function openApiDocument(): OpenApiDocument {
	built ??= buildOpenApiDocument();
	return built;
}
