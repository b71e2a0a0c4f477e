/** The parts of an OpenAPI 3.1 document that this API's document uses. */

/** A JSON Schema (2020-12) object; `$ref`s point into `#/components/schemas/`. */
export type JsonSchema = { [keyword: string]: unknown };

export interface Reference {
	$ref: string;
}

export interface HeaderObject {
	description: string;
	required?: boolean;
	schema: JsonSchema;
}

export interface ParameterObject {
	name: string;
	in: 'path' | 'query' | 'header';
	description?: string;
	required: boolean;
	schema: JsonSchema;
}

export interface MediaTypeObject {
	schema: JsonSchema;
	example?: unknown;
}

export interface ResponseObject {
	description: string;
	headers?: Record<string, HeaderObject | Reference>;
	content?: Record<string, MediaTypeObject>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
	operationId: string;
	tags: string[];
	summary: string;
	description?: string;
	security?: SecurityRequirement[];
	parameters?: (ParameterObject | Reference)[];
	requestBody?: { required: boolean; content: Record<string, MediaTypeObject> };
	responses: Record<string, ResponseObject>;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SecurityScheme {
	type: 'http' | 'apiKey';
	description: string;
	scheme?: string;
	bearerFormat?: string;
	in?: 'cookie' | 'header';
	name?: string;
}

export interface OpenApiDocument {
	openapi: '3.1.1';
	jsonSchemaDialect: string;
	info: { title: string; version: string; description: string };
	tags: { name: string; description: string }[];
	security: SecurityRequirement[];
	paths: Record<string, Partial<Record<HttpMethod, OperationObject>>>;
	components: {
		schemas: Record<string, JsonSchema>;
		parameters: Record<string, ParameterObject>;
		headers: Record<string, HeaderObject>;
		securitySchemes: Record<string, SecurityScheme>;
	};
}
