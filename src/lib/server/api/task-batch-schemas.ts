/**
 * Bodies of the batch task endpoints and their refusal: per-item errors in a problem+json 422,
 * both as the usual `errors` map (`items.<index>.<field>`) and as an `itemErrors` list.
 */
import { z } from 'zod';
import { maxBatchItems, type BatchItemError } from '../../domain/board/batch.ts';
import { ApiError, type FieldErrors } from '../http/problem.ts';
import { unstorableMessage, unstorablePath } from '../http/storable.ts';
import { createTaskBody, updateTaskBody } from './task-schemas.ts';

/**
 * The largest batch body: the Node adapter's default request-body limit (BODY_SIZE_LIMIT,
 * 512K), which refuses anything bigger before the handler runs.
 */
export const maxBatchBodyBytes = 512 * 1024;

const items = <T extends z.ZodType>(item: T) =>
	z
		.array(item, { error: 'Send a list of items.' })
		.min(1, 'Send at least one item.')
		.max(maxBatchItems, `Send at most ${maxBatchItems} items; split larger batches.`);

export const createTasksBatchBody = z.strictObject({
	items: items(
		createTaskBody
			.omit({ beforeTaskId: true, afterTaskId: true })
			.describe(
				'A task to add at the end of its column (default: the first column), after the items before it.'
			)
	)
});

const moveFields = {
	columnId: z.uuid({ error: 'Give an id.' }).optional().describe('Move the task into this column.'),
	position: z
		.number({ error: 'Send a whole number from 0.' })
		.int('Send a whole number from 0.')
		.min(0, 'Send a whole number from 0.')
		.optional()
		.describe(
			"0-based place among the column's other live tasks when this item applies; past the end: last. Without it a new `columnId` puts the task last."
		)
};

export const updateTasksBatchBody = z.strictObject({
	items: items(
		z
			.strictObject({
				id: z.uuid({ error: 'Give an id.' }).describe('The task to change.'),
				...updateTaskBody.shape,
				...moveFields
			})
			.refine(
				(item) => Object.entries(item).some(([key, value]) => key !== 'id' && value !== undefined),
				{
					message: 'Send at least one field to change.'
				}
			)
	)
});

const refusal = 'Some items are invalid; nothing was written.';

/** The 422 for item errors, found by the schema or by the board. */
export function batchProblem(errors: BatchItemError[]): ApiError {
	const map: FieldErrors = {};
	for (const { index, field, detail } of errors) map[`items.${index}.${field}`] ??= detail;
	return new ApiError(422, refusal, { errors: map, members: { itemErrors: errors } });
}

/**
 * Validates a batch body (as read by `readJsonValue`), turning schema issues inside items into
 * item errors. A string that cannot be stored (NUL, a lone surrogate) is one more item error,
 * reported with the schema's: one bad title does not hide the other items' faults.
 */
export function parseBatch<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
	const parsed = schema.safeParse(value);
	const unstorable = unstorablePath(value);
	if (parsed.success && unstorable === null) return parsed.data;
	const errors: BatchItemError[] = [];
	const whole: FieldErrors = {};
	const add = (path: readonly PropertyKey[], detail: string) => {
		const [top, index, ...rest] = path;
		if (top === 'items' && typeof index === 'number') {
			errors.push({ index, field: rest.length > 0 ? rest.join('.') : '_', detail });
		} else {
			whole[path.length > 0 ? path.join('.') : '_'] ??= detail;
		}
	};
	if (!parsed.success) for (const issue of parsed.error.issues) add(issue.path, issue.message);
	if (unstorable !== null) {
		// The path comes back joined (`items.3.title`); its index is a number again here.
		const path = unstorable
			.split('.')
			.map((key, i) => (i === 1 && /^\d+$/.test(key) ? Number(key) : key));
		add(path, unstorableMessage);
	}
	if (Object.keys(whole).length > 0) {
		throw new ApiError(422, 'Some fields are invalid.', { errors: whole });
	}
	throw batchProblem(errors);
}
