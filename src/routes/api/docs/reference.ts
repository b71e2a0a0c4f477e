/**
 * The reference page's view of the OpenAPI document: operations grouped by tag, references to
 * parameters and headers resolved, and a curl example per operation. Plain data, so the page
 * only lays it out.
 */
import type {
	HeaderObject,
	JsonSchema,
	OpenApiDocument,
	ParameterObject,
	Reference,
	SecurityRequirement
} from '$lib/api/openapi';

export interface ParameterView {
	name: string;
	in: string;
	required: boolean;
	description: string;
	schema: JsonSchema;
}

export interface ResponseView {
	status: string;
	description: string;
	mediaType: string | null;
	schema: JsonSchema | null;
	headers: { name: string; description: string; required: boolean }[];
}

export interface OperationView {
	id: string;
	method: string;
	path: string;
	summary: string;
	description: string;
	auth: string;
	parameters: ParameterView[];
	/** The body's named schema, resolved so its fields can be listed in place. */
	body: { name: string; schema: JsonSchema; example: unknown } | null;
	responses: ResponseView[];
	curl: string;
}

export interface TagView {
	name: string;
	description: string;
	operations: OperationView[];
}

export interface ReferenceView {
	title: string;
	version: string;
	/** Paragraphs of the introduction. */
	overview: string[];
	security: { name: string; kind: string; description: string }[];
	tags: TagView[];
	/** `request`: a body clients send (the rest are answers). */
	schemas: { name: string; schema: JsonSchema; request: boolean }[];
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

function authText(security: SecurityRequirement[]): string {
	if (security.length === 0) return 'None: anyone may call this.';
	const names = security.flatMap((requirement) => Object.keys(requirement));
	const optional = security.some((requirement) => Object.keys(requirement).length === 0);
	const labels: Record<string, string> = {
		personalAccessToken: 'a personal access token',
		sessionToken: 'a session token',
		sessionCookie: 'the session cookie'
	};
	const list = names.map((name) => labels[name] ?? name);
	const joined =
		list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list.at(-1)}` : (list[0] ?? '');
	return optional ? `Optional: ${joined}.` : `${joined.charAt(0).toUpperCase()}${joined.slice(1)}.`;
}

/** A shell variable for a path parameter: `/boards/{id}` → `$BOARD_ID`, `{columnId}` → `$COLUMN_ID`. */
function variableFor(path: string, name: string): string {
	if (name !== 'id') return `$${name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
	const before =
		path
			.slice(0, path.indexOf(`{${name}}`))
			.split('/')
			.filter(Boolean)
			.at(-1) ?? '';
	return `$${before.replace(/s$/, '').toUpperCase()}_ID`;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function curlFor(
	origin: string,
	method: string,
	path: string,
	security: SecurityRequirement[],
	example: unknown
): string {
	const url = path.replace(/\{(\w+)\}/g, (_, name: string) => variableFor(path, name));
	const lines = [`curl${method === 'GET' ? '' : ` -X ${method}`} "${origin}${url}"`];
	const sessionOnly = security.length > 0 && !security.some((r) => 'personalAccessToken' in r);
	if (security.length > 0 && !security.some((r) => Object.keys(r).length === 0)) {
		lines.push(`-H "Authorization: Bearer ${sessionOnly ? '$SESSION_TOKEN' : '$TASKFLOW_TOKEN'}"`);
	}
	if (example !== undefined) {
		lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(example))}`);
	}
	return lines.join(' \\\n  ');
}

export function buildReference(doc: OpenApiDocument, origin: string): ReferenceView {
	const resolve = <T>(entry: T | Reference, section: 'parameters' | 'headers'): T => {
		if (typeof entry === 'object' && entry !== null && '$ref' in entry) {
			const name = entry.$ref.split('/').at(-1)!;
			return doc.components[section][name] as T;
		}
		return entry as T;
	};

	const named = (schema: JsonSchema) => {
		const name = String(schema.$ref ?? '').replace('#/components/schemas/', '');
		return { name, schema: doc.components.schemas[name] ?? schema };
	};

	const requestBodies = new Set<string>();
	const tags: TagView[] = doc.tags.map((tag) => ({ ...tag, operations: [] }));
	for (const [path, item] of Object.entries(doc.paths)) {
		for (const method of methods) {
			const op = item[method];
			if (!op) continue;
			const security = op.security ?? doc.security;
			const media = op.requestBody?.content['application/json'];
			const view: OperationView = {
				id: op.operationId,
				method: method.toUpperCase(),
				path,
				summary: op.summary,
				description: op.description ?? '',
				auth: authText(security),
				parameters: (op.parameters ?? []).map((entry) => {
					const p = resolve<ParameterObject>(entry, 'parameters');
					return {
						name: p.name,
						in: p.in,
						required: p.required,
						description: p.description ?? '',
						schema: p.schema
					};
				}),
				body: media ? { ...named(media.schema), example: media.example } : null,
				responses: Object.entries(op.responses).map(([status, response]) => {
					const [mediaType, content] = Object.entries(response.content ?? {})[0] ?? [];
					return {
						status,
						description: response.description,
						mediaType: mediaType ?? null,
						schema: content?.schema ?? null,
						headers: Object.entries(response.headers ?? {})
							.filter(([name]) => !name.startsWith('RateLimit-'))
							.map(([name, entry]) => {
								const header = resolve<HeaderObject>(entry, 'headers');
								return { name, description: header.description, required: !!header.required };
							})
					};
				}),
				curl: curlFor(origin, method.toUpperCase(), path, security, media?.example)
			};
			if (view.body) requestBodies.add(view.body.name);
			tags.find((tag) => tag.name === op.tags[0])?.operations.push(view);
		}
	}

	return {
		title: doc.info.title,
		version: doc.info.version,
		overview: doc.info.description.split(/\n\s*\n/),
		security: Object.entries(doc.components.securitySchemes).map(([name, scheme]) => ({
			name,
			kind:
				scheme.type === 'http'
					? `HTTP ${scheme.scheme ?? ''} ${scheme.bearerFormat ?? ''}`.trim()
					: `${scheme.in} ${scheme.name}`,
			description: scheme.description
		})),
		tags: tags.filter((tag) => tag.operations.length > 0),
		schemas: Object.entries(doc.components.schemas).map(([name, schema]) => ({
			name,
			schema,
			request: requestBodies.has(name)
		}))
	};
}
