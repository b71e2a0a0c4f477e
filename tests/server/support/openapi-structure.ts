/**
 * The structure of an OpenAPI 3.1 document as a JSON Schema, for the parts of the specification
 * (https://spec.openapis.org/oas/v3.1.1) that this API's document uses. Written from the
 * specification's object definitions, closed where the specification is (no unknown fields
 * except `x-` extensions), so a misspelt or misplaced field fails. Schema Objects themselves are
 * checked separately, by compiling each with ajv.
 */
const extensions = { '^x-': {} };
const text = { type: 'string' };
const object = (
	properties: Record<string, unknown>,
	required: string[] = [],
	extra: Record<string, unknown> = {}
) => ({
	type: 'object',
	properties,
	required,
	patternProperties: extensions,
	additionalProperties: false,
	...extra
});
const map = (value: unknown) => ({ type: 'object', additionalProperties: value });
const ref = (name: string) => ({ $ref: `#/$defs/${name}` });
const orReference = (name: string) => ({ oneOf: [ref(name), ref('reference')] });

export const openApi31Structure = {
	$schema: 'https://json-schema.org/draft/2020-12/schema',
	...object(
		{
			openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
			jsonSchemaDialect: { type: 'string', format: 'uri' },
			info: object({ title: text, version: text, description: text, summary: text }, [
				'title',
				'version'
			]),
			servers: { type: 'array' },
			tags: {
				type: 'array',
				items: object({ name: text, description: text }, ['name'])
			},
			security: { type: 'array', items: ref('securityRequirement') },
			paths: {
				type: 'object',
				propertyNames: { pattern: '^/' },
				additionalProperties: ref('pathItem')
			},
			components: object({
				schemas: map({ type: 'object' }),
				parameters: map(orReference('parameter')),
				headers: map(orReference('header')),
				securitySchemes: map(orReference('securityScheme')),
				responses: map(orReference('response'))
			})
		},
		['openapi', 'info', 'paths']
	),
	$defs: {
		reference: {
			type: 'object',
			properties: {
				$ref: { type: 'string', format: 'uri-reference' },
				summary: text,
				description: text
			},
			required: ['$ref'],
			additionalProperties: false
		},
		securityRequirement: map({ type: 'array', items: text }),
		pathItem: object({
			summary: text,
			description: text,
			parameters: { type: 'array', items: orReference('parameter') },
			get: ref('operation'),
			put: ref('operation'),
			post: ref('operation'),
			delete: ref('operation'),
			options: ref('operation'),
			head: ref('operation'),
			patch: ref('operation'),
			trace: ref('operation')
		}),
		operation: object(
			{
				tags: { type: 'array', items: text },
				summary: text,
				description: text,
				operationId: text,
				parameters: { type: 'array', items: orReference('parameter') },
				requestBody: orReference('requestBody'),
				responses: ref('responses'),
				deprecated: { type: 'boolean' },
				security: { type: 'array', items: ref('securityRequirement') }
			},
			['responses']
		),
		parameter: object(
			{
				name: text,
				in: { enum: ['query', 'header', 'path', 'cookie'] },
				description: text,
				required: { type: 'boolean' },
				deprecated: { type: 'boolean' },
				style: text,
				explode: { type: 'boolean' },
				schema: { type: 'object' },
				example: {}
			},
			['name', 'in', 'schema'],
			{
				if: { properties: { in: { const: 'path' } } },
				then: { properties: { required: { const: true } }, required: ['required'] }
			}
		),
		requestBody: object(
			{ description: text, content: ref('content'), required: { type: 'boolean' } },
			['content']
		),
		content: map(object({ schema: { type: 'object' }, example: {}, examples: { type: 'object' } })),
		responses: {
			type: 'object',
			minProperties: 1,
			propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
			additionalProperties: orReference('response')
		},
		response: object(
			{
				description: text,
				headers: map(orReference('header')),
				content: ref('content'),
				links: { type: 'object' }
			},
			['description']
		),
		header: object(
			{
				description: text,
				required: { type: 'boolean' },
				deprecated: { type: 'boolean' },
				schema: { type: 'object' },
				example: {}
			},
			['schema']
		),
		securityScheme: {
			...object(
				{
					type: { enum: ['apiKey', 'http', 'mutualTLS', 'oauth2', 'openIdConnect'] },
					description: text,
					name: text,
					in: { enum: ['query', 'header', 'cookie'] },
					scheme: text,
					bearerFormat: text
				},
				['type']
			),
			allOf: [
				{
					if: { properties: { type: { const: 'http' } } },
					then: { properties: { scheme: text }, required: ['scheme'] }
				},
				{
					if: { properties: { type: { const: 'apiKey' } } },
					then: { properties: { name: text, in: text }, required: ['name', 'in'] }
				}
			]
		}
	}
};
