/** Bodies and answers of the board import endpoints. */
import { z } from 'zod';
import { importPhases, type ImportDto } from '../../api/imports.ts';
import { csvFields } from '../../domain/import/csv.ts';
import { component } from './response-schemas.ts';
import { boardTitle } from './schemas.ts';

const exportData = z
	.record(z.string(), z.unknown(), { error: 'Send the exported file’s JSON object as data.' })
	.describe('The export file’s JSON, as it was downloaded.');

const columnIndex = z
	.number({ error: 'Give a 0-based column number of the file, or null.' })
	.int()
	.min(0)
	.nullable()
	.optional();

export const createImportBody = z.discriminatedUnion(
	'source',
	[
		z.strictObject({
			source: z.literal('trello'),
			title: boardTitle.optional().describe('Default: the Trello board’s name.'),
			data: exportData
		}),
		z.strictObject({
			source: z.literal('taskflow'),
			title: boardTitle.optional().describe('Default: the exported board’s title.'),
			data: exportData
		}),
		z.strictObject({
			source: z.literal('csv'),
			title: boardTitle,
			csv: z.string({ error: 'Send the CSV file’s text.' }).min(1, 'The CSV file is empty.'),
			mapping: z
				.strictObject(Object.fromEntries(csvFields.map((field) => [field, columnIndex])))
				.describe(
					`Which column of the file (0-based) holds each field: ${csvFields.join(', ')}; title is required.`
				)
		})
	],
	{ error: 'Choose a source: trello, taskflow or csv.' }
);

/** `createImportBody` as a file upload: the file and the other fields as parts (import-form.ts). */
export const createImportForm = z.strictObject({
	source: z.enum(['trello', 'taskflow', 'csv']).describe('What the file is.'),
	file: z
		.string()
		.meta({ contentMediaType: 'application/octet-stream' })
		.describe(
			'The file as downloaded: a Trello or TaskFlow export (JSON) or a CSV file (UTF-8). Counts toward the 20 MB body limit.'
		),
	title: boardTitle
		.optional()
		.describe('The new board’s title; required for CSV, else the export’s own title.'),
	mapping: z
		.string()
		.optional()
		.describe(
			`CSV only: which column of the file (0-based) holds each field, as a JSON object (the JSON body's \`mapping\`), e.g. {"title":0,"column":1}.`
		)
});

const count = z.number().int().min(0);

export const importSchema = component(
	'Import',
	z.object({
		id: z.guid(),
		source: z.enum(['trello', 'csv', 'taskflow']),
		state: z.enum(['queued', 'running', 'done', 'failed']),
		phase: z
			.enum(importPhases)
			.describe(
				'The step under way: waiting, people (matching accounts), document (building the board), cards (saving them), comments, finishing.'
			),
		done: count,
		total: count,
		boardId: z.guid().nullable(),
		report: z
			.object({
				imported: z.object({
					columns: count,
					cards: count,
					checklistItems: count,
					comments: count
				}),
				skipped: z
					.array(z.object({ what: z.string(), reason: z.string() }))
					.describe('The first 100 things skipped, each with why.'),
				skippedCount: count.describe('Everything skipped (the list holds the first 100).'),
				unmatchedPeople: z.array(z.string()),
				addedMembers: z
					.array(z.string())
					.describe(
						'Names of the accounts that assignees matched: they were made editors of the new board and notified.'
					)
			})
			.nullable(),
		error: z.string().nullable(),
		createdAt: z.iso.datetime(),
		finishedAt: z.iso.datetime().nullable()
	}) satisfies z.ZodType<ImportDto>
);
