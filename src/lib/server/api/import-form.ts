/**
 * `POST /api/v1/imports` as a file upload (multipart/form-data): the file is the `file` part and
 * the JSON body's other fields are parts of the same names (`source`, `title`, and for CSV
 * `mapping` as a JSON object). The parts are made into the JSON body's shape and checked by the
 * same schema, so both ways in take the same input and refuse it the same way; errors about the
 * file's content are reported on `file`.
 */
import type { z } from 'zod';
import { fieldErrors, readMultipart } from '../http/body.ts';
import { ApiError, type FieldErrors } from '../http/problem.ts';
import { unstorableErrors } from '../http/storable.ts';
import { fileText } from '../../domain/import/file-text.ts';
import { createImportBody } from './import-schemas.ts';

export type CreateImportBody = z.infer<typeof createImportBody>;

const partNames = new Set(['source', 'file', 'title', 'mapping']);
const invalid = (errors: FieldErrors) => new ApiError(422, 'Some fields are invalid.', { errors });

/**
 * The text of a part (a file or a plain field), or null when it is absent. A file is read as the
 * import dialog's preview reads it (`fileText`: UTF-8, else Windows-1252).
 */
async function partText(part: FormDataEntryValue | null): Promise<string | null> {
	if (part === null) return null;
	return typeof part === 'string' ? part : fileText(new Uint8Array(await part.arrayBuffer()));
}

export async function readImportForm(
	request: Request,
	maxBytes: number
): Promise<CreateImportBody> {
	const form = await readMultipart(request, maxBytes);
	const source = form.get('source');
	const file = await partText(form.get('file'));
	const errors: FieldErrors = {};
	for (const name of new Set(form.keys())) {
		if (!partNames.has(name)) errors[name] = 'Unknown part: send source, file, title and mapping.';
	}
	if (source !== 'trello' && source !== 'taskflow' && source !== 'csv') {
		errors.source = 'Choose a source: trello, taskflow or csv.';
	}
	if (file === null) errors.file = 'Attach the file to import as the part named “file”.';
	else if (file.trim() === '') errors.file = 'The file is empty.';
	if (Object.keys(errors).length > 0 || file === null) throw invalid(errors);
	const title = await partText(form.get('title'));
	const body: Record<string, unknown> = { source, ...(title ? { title } : {}) };
	if (source === 'csv') {
		body.csv = file;
		const mapping = await partText(form.get('mapping'));
		if (mapping !== null) {
			try {
				body.mapping = JSON.parse(mapping);
			} catch {
				throw invalid({
					mapping: 'Send the mapping as a JSON object, e.g. {"title": 0, "column": 1}.'
				});
			}
		}
	} else {
		try {
			body.data = JSON.parse(file);
		} catch {
			throw invalid({
				file: `The file is not valid JSON: choose the ${source === 'trello' ? 'Trello' : 'TaskFlow'} board export as it was downloaded.`
			});
		}
	}
	const unstorable = unstorableErrors(body);
	if (unstorable) throw invalid(onFile(unstorable));
	const parsed = createImportBody.safeParse(body);
	if (!parsed.success) throw invalid(onFile(fieldErrors(parsed.error)));
	return parsed.data;
}

/** Errors about `data` or `csv` (the file's content in the JSON body) are the file's here. */
function onFile(errors: FieldErrors): FieldErrors {
	return Object.fromEntries(
		Object.entries(errors).map(([field, message]) => [
			field.replace(/^(data|csv)(?=\.|$)/, 'file'),
			message
		])
	);
}
