/** Importing boards from Trello exports, CSV files and TaskFlow exports. */
import { createImportBody, createImportForm, importSchema } from '../../import-schemas.ts';
import type { OperationSpec } from '../spec.ts';

export const importOperations: OperationSpec[] = [
	{
		id: 'createImport',
		method: 'POST',
		path: '/api/v1/imports',
		tag: 'Imports',
		summary: 'Import a board',
		description:
			'Creates a new board owned by the caller from a Trello board export (`source: "trello"`, the file as `data`), a TaskFlow export (`source: "taskflow"`, see docs/export-format.md) or a CSV file with a column mapping (`source: "csv"`). Send JSON, or upload the file as multipart/form-data: the `file` part and the other fields as parts of the same names (`mapping` as a JSON object), e.g. `curl -F source=trello -F file=@board.json`. The input is checked at once; the board is written in the background (202), all at once or not at all, two imports at a time per server instance (the others wait, `queued` in phase `waiting`): poll the Location for progress and the report. People are matched to accounts by e-mail (any case), then by user name against the local part of an e-mail; matched people become editors and keep their cards, the others are reported and their cards left unassigned. Comments are added by the caller, quoting their original author and date. Bodies up to 20 MB are read (this route only).',
		body: createImportBody,
		formBody: createImportForm,
		example: {
			source: 'csv',
			title: 'Launch plan',
			csv: 'Title,Status,Due\nWrite the release notes,To do,2026-03-02\n',
			mapping: { title: 0, column: 1, due: 2 }
		},
		responses: {
			202: {
				description: 'Queued; the Location reports progress.',
				schema: importSchema,
				headers: ['Location'],
				requiredHeaders: ['Location']
			}
		},
		problems: {
			400: 'A multipart body that cannot be parsed.',
			413: 'The body (JSON, or the whole upload with its file) is larger than 20 MB.',
			415: 'The body is neither `application/json` nor `multipart/form-data`.',
			422: 'The source is unknown, the file part is missing, empty or not valid JSON, the file is not an export of the named source, the CSV mapping has no title column, or the board would be over its limits (BOARD_MAX_CARDS, BOARD_MAX_COLUMNS).',
			429: 'As many imports as the server takes at once (two running and eight waiting per instance) are under way; see `Retry-After`.'
		}
	},
	{
		id: 'getImport',
		method: 'GET',
		path: '/api/v1/imports/{id}',
		tag: 'Imports',
		summary: 'Follow an import',
		description:
			'Progress (`done` of `total`: each card counts once built into the board and once saved, each comment once) with the `phase` under way, and, once `done`, the report: what was imported, what was skipped and why, and the people not matched to an account. A `failed` import says why in `error` (nothing was created unless `boardId` is set).',
		pathParams: { id: 'The import id.' },
		responses: { 200: { description: 'The import.', schema: importSchema } },
		problems: { 404: 'No such import, or another user started it.' }
	}
];
