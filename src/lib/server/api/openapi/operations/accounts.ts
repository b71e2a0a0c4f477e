/** Sessions, the signed-in user, personal access tokens, administration and the document itself. */
import { adminUpdateUserBody, listPageQuery, loginBody, signupBody } from '../../schemas.ts';
import {
	apiTokenPageSchema,
	createdApiTokenSchema,
	loginResultSchema,
	openApiSchema,
	signupAcceptedSchema,
	userSchema
} from '../../response-schemas.ts';
import { createTokenBody } from '../../token-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const tokenId = { id: 'The token id.' };

export const accountOperations: OperationSpec[] = [
	{
		id: 'signUp',
		method: 'POST',
		path: '/api/v1/auth/signup',
		tag: 'Auth',
		auth: 'none',
		summary: 'Create an account',
		description:
			'Creates an account for a free address; the first account of an installation becomes its admin. The answer is the same 202 whether or not the address already had an account, so it does not reveal which addresses are registered: sign in with `POST /api/v1/auth/login` next (the sign-up page tells a person that the address is in use).',
		body: signupBody,
		example: {
			name: 'Ada Lovelace',
			email: 'ada@example.com',
			password: 'a long enough passphrase'
		},
		responses: {
			202: {
				description: 'Accepted; no session is started.',
				schema: signupAcceptedSchema
			}
		}
	},
	{
		id: 'logIn',
		method: 'POST',
		path: '/api/v1/auth/login',
		tag: 'Auth',
		auth: 'none',
		summary: 'Log in',
		description:
			'Checks the email and password and starts a session. Send the returned `sessionToken` as `Authorization: Bearer <sessionToken>`, or use the cookie it sets.',
		body: loginBody,
		example: { email: 'ada@example.com', password: 'a long enough passphrase' },
		responses: {
			200: {
				description: 'Signed in.',
				schema: loginResultSchema,
				headers: ['Set-Cookie']
			}
		},
		problems: {
			401: 'The email or password is incorrect (the same answer for an unknown email).',
			429: 'Too many failed sign-in attempts for this account or address; see `Retry-After`.'
		}
	},
	{
		id: 'logOut',
		method: 'POST',
		path: '/api/v1/auth/logout',
		tag: 'Auth',
		auth: 'optional',
		summary: 'Log out',
		description:
			'Ends the session that made the request (live connections that used it are closed) and clears the cookie. Without a session it only clears the cookie.',
		responses: { 204: { description: 'Signed out.', headers: ['Set-Cookie'] } },
		problems: {
			403: 'Called with a personal access token: a token is ended by revoking it (`DELETE /api/v1/tokens/{id}` from a signed-in session).'
		}
	},
	{
		id: 'getMe',
		method: 'GET',
		path: '/api/v1/me',
		tag: 'Account',
		summary: 'Who am I',
		description: 'The account the credential belongs to.',
		responses: { 200: { description: 'The caller.', schema: userSchema } },
		problems: { 404: 'The account no longer exists.' }
	},
	{
		id: 'listTokens',
		method: 'GET',
		path: '/api/v1/tokens',
		tag: 'Tokens',
		auth: 'session',
		summary: 'List your tokens',
		description:
			'Your personal access tokens, newest first, revoked ones included, in pages (`limit`, then `cursor` = `nextCursor` until it is null). Never the secret.',
		query: listPageQuery,
		responses: { 200: { description: 'A page of your tokens.', schema: apiTokenPageSchema } },
		problems: {
			403: 'Called with a personal access token.',
			422: '`limit` is not 1 to 200, or `cursor` was not issued by this listing.'
		}
	},
	{
		id: 'createToken',
		method: 'POST',
		path: '/api/v1/tokens',
		tag: 'Tokens',
		auth: 'session',
		summary: 'Create a token',
		description:
			'Creates a personal access token (`tf_…`). The secret is in this response only; it is stored as a hash. A `read` token gets 403 on every write.',
		body: createTokenBody,
		example: { name: 'Nightly report', scope: 'read', expiresAt: '2027-01-31T00:00:00Z' },
		responses: { 201: { description: 'The token and its secret.', schema: createdApiTokenSchema } },
		problems: { 403: 'Called with a personal access token.' }
	},
	{
		id: 'revokeToken',
		method: 'DELETE',
		path: '/api/v1/tokens/{id}',
		tag: 'Tokens',
		auth: 'session',
		summary: 'Revoke a token',
		description:
			'Revokes one of your tokens at once: requests with it answer 401 and its live connections close.',
		pathParams: tokenId,
		responses: { 204: { description: 'Revoked.' } },
		problems: {
			403: 'Called with a personal access token.',
			404: 'You have no live token with this id.'
		}
	},
	{
		id: 'updateUser',
		method: 'PATCH',
		path: '/api/v1/admin/users/{id}',
		tag: 'Admin',
		summary: 'Disable, enable or promote an account',
		description:
			'Sets `disabled` and/or `role`. Disabling ends the account’s sessions and live connections at once and revokes its API tokens (re-enabling does not bring them back); a role change reconnects them. The last active admin cannot be disabled or demoted.',
		pathParams: { id: 'The user id.' },
		body: adminUpdateUserBody,
		example: { disabled: true },
		responses: { 200: { description: 'The account as changed.', schema: userSchema } },
		problems: {
			403: 'The caller is not an admin.',
			404: 'No such user.',
			409: 'The change would leave no active admin (the last active admin cannot disable or demote themselves).'
		}
	},
	{
		id: 'getOpenApiDocument',
		method: 'GET',
		path: '/api/v1/openapi.json',
		tag: 'Meta',
		auth: 'none',
		summary: 'This OpenAPI document',
		description:
			'The OpenAPI 3.1 description of the API, generated from the schemas that validate requests. A readable version is at `/api/docs`.',
		responses: { 200: { description: 'The document.', schema: openApiSchema } }
	}
];
