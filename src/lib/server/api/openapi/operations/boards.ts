/** Boards, their members and their activity. */
import {
	addMemberBody,
	createBoardBody,
	duplicateBoardBody,
	eventPageQuery,
	keysetPageQuery,
	updateBoardBody,
	updateMemberBody
} from '../../schemas.ts';
import { insightsQuery } from '../../insights-query.ts';
import {
	boardInsightsSchema,
	boardPageSchema,
	boardSchema,
	eventPageSchema,
	memberPageSchema,
	memberSchema
} from '../../response-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const board = { id: 'The board id.' };
const noBoard = 'No such board, or you are not a member (the same answer, so ids do not leak).';
const pageInvalid = '`limit` is not 1 to 200, or `cursor` was not issued by this listing.';
const ownersOnly = 'Only owners of the board (and admins) may do this.';

export const boardOperations: OperationSpec[] = [
	{
		id: 'getBoardInsights',
		method: 'GET',
		path: '/api/v1/boards/{id}/insights',
		tag: 'Boards',
		summary: 'Board insights',
		description:
			'Cumulative flow, throughput, cycle time and current WIP, from the recorded column-category changes of the cards. Days and weeks are UTC; the range is at most 366 days and defaults to the last 30.',
		pathParams: board,
		query: insightsQuery,
		responses: { 200: { description: 'The figures.', schema: boardInsightsSchema } },
		problems: {
			404: noBoard,
			422: 'A date is not YYYY-MM-DD, `from` is after `to`, or the range is longer than 366 days.'
		}
	},
	{
		id: 'listBoards',
		method: 'GET',
		path: '/api/v1/boards',
		tag: 'Boards',
		summary: 'List your boards',
		description:
			'The live boards you are a member of, with your role on each, most recently updated first, in pages (`limit`, then `cursor` = `nextCursor` until it is null). Keyset paging: boards created while you page do not shift the pages (they come first, on pages already read); a board renamed while you page may move.',
		query: keysetPageQuery,
		responses: { 200: { description: 'A page of your boards.', schema: boardPageSchema } },
		problems: { 422: pageInvalid }
	},
	{
		id: 'createBoard',
		method: 'POST',
		path: '/api/v1/boards',
		tag: 'Boards',
		summary: 'Create a board',
		description: 'Creates a board with you as its owner and three starter columns.',
		body: createBoardBody,
		example: { title: 'Launch plan' },
		responses: {
			201: {
				description: 'The new board.',
				schema: boardSchema,
				headers: ['Location'],
				requiredHeaders: ['Location']
			}
		}
	},
	{
		id: 'getBoard',
		method: 'GET',
		path: '/api/v1/boards/{id}',
		tag: 'Boards',
		summary: 'Get a board',
		pathParams: board,
		responses: { 200: { description: 'The board.', schema: boardSchema } },
		problems: { 404: noBoard }
	},
	{
		id: 'renameBoard',
		method: 'PATCH',
		path: '/api/v1/boards/{id}',
		tag: 'Boards',
		summary: 'Rename a board',
		description: 'Renames the board; open boards show the new title at once.',
		pathParams: board,
		body: updateBoardBody,
		example: { title: 'Launch plan (Q3)' },
		responses: { 200: { description: 'The board as renamed.', schema: boardSchema } },
		problems: {
			403: ownersOnly,
			404: noBoard,
			409: 'The board is archived: it can be read but no longer changed.'
		}
	},
	{
		id: 'archiveBoard',
		method: 'DELETE',
		path: '/api/v1/boards/{id}',
		tag: 'Boards',
		summary: 'Archive a board',
		description:
			'Archives rather than deletes, so the history stays recoverable; live connections close. Archiving an archived board changes nothing.',
		pathParams: board,
		responses: { 204: { description: 'Archived.' } },
		problems: { 403: ownersOnly, 404: noBoard }
	},
	{
		id: 'restoreOwnBoard',
		method: 'POST',
		path: '/api/v1/boards/{id}/restore',
		tag: 'Boards',
		summary: 'Restore an archived board',
		description:
			'Brings an archived board back: it can be changed again and is listed among your boards. Restoring a board that is not archived changes nothing.',
		pathParams: board,
		responses: { 200: { description: 'The board as restored.', schema: boardSchema } },
		problems: { 403: ownersOnly, 404: noBoard }
	},
	{
		id: 'duplicateBoard',
		method: 'POST',
		path: '/api/v1/boards/{id}/duplicate',
		tag: 'Boards',
		summary: 'Duplicate a board',
		description:
			'Copies the board’s columns and live cards (titles, descriptions, priorities, due dates, labels, order) into a new board that you own, with fresh ids. Not copied: deleted cards and columns, history, members, and assignees other than you. Any member (and an admin) may copy a board they can read, archived ones included.',
		pathParams: board,
		body: duplicateBoardBody,
		example: { title: 'Launch plan (copy)' },
		responses: {
			201: {
				description: 'The new board.',
				schema: boardSchema,
				headers: ['Location'],
				requiredHeaders: ['Location']
			}
		},
		problems: {
			404: noBoard,
			409: 'The board holds more cards or columns than a board may (BOARD_MAX_CARDS, BOARD_MAX_COLUMNS); checked before the board is read.',
			429: 'As many copies as the server runs at once (two per instance) are running; see `Retry-After`.'
		}
	},
	{
		id: 'listMembers',
		method: 'GET',
		path: '/api/v1/boards/{id}/members',
		tag: 'Members',
		summary: 'List members',
		description:
			'Owners first, then editors, then viewers, each in the order they joined, in pages (`limit`, then `cursor` = `nextCursor` until it is null). Keyset paging: members added while you page do not shift the pages.',
		pathParams: board,
		query: keysetPageQuery,
		responses: { 200: { description: 'A page of members.', schema: memberPageSchema } },
		problems: { 404: noBoard, 422: pageInvalid }
	},
	{
		id: 'addMember',
		method: 'POST',
		path: '/api/v1/boards/{id}/members',
		tag: 'Members',
		summary: 'Add a member',
		description: 'Adds the account with this email, in the given role.',
		pathParams: board,
		body: addMemberBody,
		example: { email: 'grace@example.com', role: 'editor' },
		responses: { 201: { description: 'The new member.', schema: memberSchema } },
		problems: {
			403: ownersOnly,
			404: noBoard,
			409: 'This person is already a member (`errors.email`).',
			422: 'No active account uses this email (`errors.email`).'
		}
	},
	{
		id: 'changeMemberRole',
		method: 'PATCH',
		path: '/api/v1/boards/{id}/members/{userId}',
		tag: 'Members',
		summary: "Change a member's role",
		description: 'Their live connections reconnect with the new role (a viewer becomes read-only).',
		pathParams: { ...board, userId: "The member's user id." },
		body: updateMemberBody,
		example: { role: 'viewer' },
		responses: { 200: { description: 'The member as changed.', schema: memberSchema } },
		problems: {
			403: ownersOnly,
			404: `${noBoard} Or no such member.`,
			409: 'The board would be left without an owner.'
		}
	},
	{
		id: 'removeMember',
		method: 'DELETE',
		path: '/api/v1/boards/{id}/members/{userId}',
		tag: 'Members',
		summary: 'Remove a member',
		description: 'Their live connections to the board close at once.',
		pathParams: { ...board, userId: "The member's user id." },
		responses: { 204: { description: 'Removed.' } },
		problems: {
			403: ownersOnly,
			404: `${noBoard} Or no such member.`,
			409: 'The board would be left without an owner.'
		}
	},
	{
		id: 'listBoardEvents',
		method: 'GET',
		path: '/api/v1/boards/{id}/events',
		tag: 'Activity',
		summary: "A board's activity",
		description:
			'Audit events of the board, newest first. `metadata` (address, user agent) is shown to admins only.',
		pathParams: board,
		query: eventPageQuery,
		responses: { 200: { description: 'One page of events.', schema: eventPageSchema } },
		problems: {
			404: noBoard,
			422: '`limit` or `cursor` is not acceptable (`errors` names it).',
			503: 'The event log cannot be read right now; events are kept, try again shortly.'
		}
	}
];
