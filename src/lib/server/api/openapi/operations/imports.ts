/** Importing boards from Trello exports, CSV files and TaskFlow exports. */
import { createImportBody, importSchema } from '../../import-schemas.ts';
import type { OperationSpec } from '../spec.ts';

export const importOperations: OperationSpec[] = [
	{
		id: 'createImport',
		method: 'POST',
		path: '/api/v1/imports',
		tag: 'Imports',
		summary: 'Import a board',
		description:
			'Creates a new board owned by the caller from a Trello board export (`source: "trello"`, the file as `data`), a TaskFlow export (`source: "taskflow"`, see docs/export-format.md) or a CSV file with a column mapping (`source: "csv"`). The input is checked at once; the board is written in the background (202): poll the Location for progress and the report. People are matched to accounts by e-mail (any case), then by user name against the local part of an e-mail; matched people become editors and keep their cards, the others are reported and their cards left unassigned. Comments are added by the caller, quoting their original author and date. Bodies up to 20 MB are read (this route only).',
		body: createImportBody,
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
			422: 'The file is not an export of the named source, the CSV mapping has no title column, or the board would be over its limits (BOARD_MAX_CARDS, BOARD_MAX_COLUMNS).'
		}
	},
	{
		id: 'getImport',
		method: 'GET',
		path: '/api/v1/imports/{id}',
		tag: 'Imports',
		summary: 'Follow an import',
		description:
			'Progress (`done` of `total`: cards written, then comments added) and, once `done`, the report: what was imported, what was skipped and why, and the people not matched to an account. A `failed` import says why in `error` (nothing was created unless `boardId` is set).',
		pathParams: { id: 'The import id.' },
		responses: { 200: { description: 'The import.', schema: importSchema } },
		problems: { 404: 'No such import, or another user started it.' }
	}
];
