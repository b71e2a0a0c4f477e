/** A board's version history. */
import { createVersionBody, listPageQuery } from '../../schemas.ts';
import {
	boardVersionPageSchema,
	boardVersionPreviewSchema,
	boardVersionRestoredSchema,
	boardVersionSchema
} from '../../response-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const board = { id: 'The board id.' };
const version = { ...board, versionId: 'The version id.' };
const noBoard = 'No such board, or you are not a member (the same answer, so ids do not leak).';
const noVersion = 'No such board or version, or you are not a member of the board.';
const editorsOnly = 'Only editors and owners of the board may do this.';
const archived = 'The board is archived: it can be read but no longer changed.';

export const versionOperations: OperationSpec[] = [
	{
		id: 'listBoardVersions',
		method: 'GET',
		path: '/api/v1/boards/{id}/versions',
		tag: 'Versions',
		summary: "List a board's versions",
		description:
			'Named versions and automatic checkpoints (taken after a burst of editing, at most one per VERSION_CHECKPOINT_SECONDS, default 10 minutes; pruned after VERSION_RETENTION_DAYS, default 30), newest first.',
		pathParams: board,
		query: listPageQuery,
		responses: { 200: { description: 'A page of versions.', schema: boardVersionPageSchema } },
		problems: { 404: noBoard }
	},
	{
		id: 'createBoardVersion',
		method: 'POST',
		path: '/api/v1/boards/{id}/versions',
		tag: 'Versions',
		summary: 'Name the current state',
		description:
			'Saves the board\'s live state as a named version, kept until the board goes. A board holds at most VERSION_MAX_NAMED (default 100) named versions; the "Before restoring …" versions restores save (`undo`) are not counted and are pruned like automatic checkpoints.',
		pathParams: board,
		body: createVersionBody,
		example: { name: 'Before the planning meeting' },
		responses: {
			201: {
				description: 'The new version.',
				schema: boardVersionSchema,
				headers: ['Location'],
				requiredHeaders: ['Location']
			}
		},
		problems: {
			403: editorsOnly,
			404: noBoard,
			409: `${archived} Or the board already holds the most named versions it may keep.`
		}
	},
	{
		id: 'getBoardVersion',
		method: 'GET',
		path: '/api/v1/boards/{id}/versions/{versionId}',
		tag: 'Versions',
		summary: 'Preview a version',
		description: 'The board as it read in this version (read-only: nothing is changed).',
		pathParams: version,
		responses: { 200: { description: 'The preview.', schema: boardVersionPreviewSchema } },
		problems: { 404: noVersion }
	},
	{
		id: 'restoreBoardVersion',
		method: 'POST',
		path: '/api/v1/boards/{id}/versions/{versionId}/restore',
		tag: 'Versions',
		summary: 'Restore a version',
		description:
			"Makes the board's columns and cards read as in this version, as one new change through the live document: people editing at that moment keep working and merge, and cards created since are soft-deleted. The state just before is saved as a named version first (restore it to undo), before the board is changed. Recorded as a `board.version_restored` event, committed with the change.",
		pathParams: version,
		responses: {
			200: { description: 'Restored.', schema: boardVersionRestoredSchema }
		},
		problems: {
			403: editorsOnly,
			404: noVersion,
			409: `${archived} Or the board kept changing while it was being restored: try again.`,
			422: 'The live board uses a document schema this server cannot write: nothing was restored.',
			503: 'Storage is unavailable: nothing was restored (or, if the detail says so, the restore is live and its undo version saved, and the change is stored shortly).'
		}
	}
];
