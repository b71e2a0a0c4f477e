/** The admin console's endpoints: accounts and boards across the whole workspace. */
import { adminEventsQuery, adminListQuery, transferOwnerBody } from '../../admin-schemas.ts';
import {
	adminBoardPageSchema,
	adminBoardSchema,
	adminUserPageSchema,
	adminUserSchema,
	eventPageSchema,
	passwordResetLinkSchema,
	sessionsRevokedSchema,
	systemSchema
} from '../../response-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const notAdmin = 'The caller is not an admin.';
const userId = { id: 'The user id.' };
const boardId = { id: 'The board id.' };

export const adminOperations: OperationSpec[] = [
	{
		id: 'listUsersAsAdmin',
		method: 'GET',
		path: '/api/v1/admin/users',
		tag: 'Admin',
		summary: 'List every account',
		description:
			'Newest first, with role, status, last activity and number of boards. `q` matches part of a name or email, case-insensitively.',
		query: adminListQuery,
		responses: { 200: { description: 'A page of accounts.', schema: adminUserPageSchema } },
		problems: { 403: notAdmin }
	},
	{
		id: 'getUserAsAdmin',
		method: 'GET',
		path: '/api/v1/admin/users/{id}',
		tag: 'Admin',
		summary: 'Get one account',
		pathParams: userId,
		responses: { 200: { description: 'The account.', schema: adminUserSchema } },
		problems: { 403: notAdmin, 404: 'No such user.' }
	},
	{
		id: 'revokeUserSessions',
		method: 'POST',
		path: '/api/v1/admin/users/{id}/sessions/revoke',
		tag: 'Admin',
		summary: 'Sign an account out everywhere',
		description:
			'Ends every session of the account and closes its open boards on every instance at once. API tokens keep working (revoke them by disabling the account).',
		pathParams: userId,
		responses: { 200: { description: 'How many sessions ended.', schema: sessionsRevokedSchema } },
		problems: { 403: notAdmin, 404: 'No such user.' }
	},
	{
		id: 'createPasswordResetLink',
		method: 'POST',
		path: '/api/v1/admin/users/{id}/password-reset',
		tag: 'Admin',
		summary: 'Create a password reset link',
		description:
			'A one-time link for a locked-out user to set a new password, valid for one hour; it is in this answer only (stored as a hash) and replaces earlier links for the account. Using it ends the account’s sessions.',
		pathParams: userId,
		responses: { 201: { description: 'The link.', schema: passwordResetLinkSchema } },
		problems: { 403: notAdmin, 404: 'No such user.', 409: 'The account is disabled.' }
	},
	{
		id: 'listBoardsAsAdmin',
		method: 'GET',
		path: '/api/v1/admin/boards',
		tag: 'Admin',
		summary: 'List every board',
		description:
			'Every board, archived ones included, newest first, with owners, members, cards and last activity. `q` matches part of the title, case-insensitively. Archive a board with `DELETE /api/v1/boards/{id}`.',
		query: adminListQuery,
		responses: { 200: { description: 'A page of boards.', schema: adminBoardPageSchema } },
		problems: { 403: notAdmin }
	},
	{
		id: 'restoreBoard',
		method: 'POST',
		path: '/api/v1/admin/boards/{id}/restore',
		tag: 'Admin',
		summary: 'Restore an archived board',
		description: 'Idempotent: restoring a board that is not archived changes nothing.',
		pathParams: boardId,
		responses: { 200: { description: 'The board as restored.', schema: adminBoardSchema } },
		problems: { 403: notAdmin, 404: 'No such board.' }
	},
	{
		id: 'transferBoardOwnership',
		method: 'POST',
		path: '/api/v1/admin/boards/{id}/owner',
		tag: 'Admin',
		summary: 'Make an account owner of a board',
		description:
			'The account (active, member or not) becomes an owner and the board’s `ownerId`. Previous owners stay owners; remove or demote them on the members endpoints if that is wanted.',
		pathParams: boardId,
		body: transferOwnerBody,
		example: { userId: '0b6a3c1e-2f4d-4a8b-9c7e-5d1f2a3b4c5d' },
		responses: { 200: { description: 'The board with its owners.', schema: adminBoardSchema } },
		problems: { 403: notAdmin, 404: 'No such board.' }
	},
	{
		id: 'listEventsAsAdmin',
		method: 'GET',
		path: '/api/v1/admin/events',
		tag: 'Admin',
		summary: 'Read or export the audit log',
		description:
			'Every event of the workspace (boards, cards, members, accounts, API tokens, system messages), newest first, each with its metadata (user agent, client address, session fingerprint, instance) and correlation id. Filters combine with AND. With `Accept: text/csv` the answer is instead a CSV download (`content-disposition: attachment`) of every matching event, streamed (`cursor` and `limit` are ignored); columns: createdAt, id, type, actorId, actorName, entityType, entityId, boardId, correlationId, userAgent, ipAddress, sessionId, instance, payload (JSON). Cells starting with = + - @ are prefixed with a single quote.',
		query: adminEventsQuery,
		responses: {
			200: {
				description: 'A page of events (JSON), or every matching event (CSV).',
				schema: eventPageSchema,
				alternativeMediaType: 'text/csv'
			}
		},
		problems: { 403: notAdmin, 503: 'The event log cannot be read right now.' }
	},
	{
		id: 'readSystemAsAdmin',
		method: 'GET',
		path: '/api/v1/admin/system',
		tag: 'Admin',
		summary: 'Read the state of the running system',
		description:
			'Each dependency’s status and latency (the checks of `/health/ready`), the instances alive in the cluster with their websocket connections and loaded boards (heartbeats over Redis every 5 s; without Redis only the answering instance), the audit outbox depth and relay lag, and per-minute figures of the last hour summed over the instances: requests per second, p95 latency (upper bound of a histogram bucket), share of 5xx answers, websocket connections and board updates per second.',
		responses: { 200: { description: 'The state of the system.', schema: systemSchema } },
		problems: { 403: notAdmin }
	}
];
