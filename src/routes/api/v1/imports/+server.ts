import { readImportForm } from '$lib/server/api/import-form';
import { createImportBody } from '$lib/server/api/import-schemas';
import { requestSource } from '$lib/server/events/audit';
import { isJson, isMultipart, readJson } from '$lib/server/http/body';
import { endpoint, json, requireUser } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { maxImportBodyBytes } from '$lib/server/import-rows';
import { ImportsBusyError, planLimitError, startImport } from '$lib/server/imports';
import { planFromCsv, parseCsv, suggestMapping } from '$lib/domain/import/csv';
import { ImportFormatError, type ImportPlan } from '$lib/domain/import/plan';
import { planFromTaskflow } from '$lib/domain/import/taskflow';
import { planFromTrello } from '$lib/domain/import/trello';

/**
 * Queues a new board made from an export or a CSV file, sent as JSON or as a file upload
 * (multipart/form-data). The input is read and checked here (a refusal is a 4xx with a
 * sentence); the board is written in the background, two at a time per process (the others
 * wait their turn, and past eight waiting a new one is a 429): poll the Location for progress
 * and the final report.
 */
export const POST = endpoint(async (event) => {
	const user = requireUser(event);
	if (!isMultipart(event.request) && !isJson(event.request)) {
		throw new ApiError(415, 'Send the body as application/json or as multipart/form-data.');
	}
	const body = isMultipart(event.request)
		? await readImportForm(event.request, maxImportBodyBytes)
		: await readJson(event.request, createImportBody, maxImportBodyBytes);
	let plan: ImportPlan;
	try {
		if (body.source === 'csv') {
			const rows = parseCsv(body.csv);
			const mapping = { ...suggestMapping([]), ...body.mapping };
			plan = planFromCsv(rows, mapping, body.title);
		} else {
			plan = body.source === 'trello' ? planFromTrello(body.data) : planFromTaskflow(body.data);
			if (body.title) plan = { ...plan, title: body.title };
		}
		const tooLarge = planLimitError(event.locals.ctx, plan);
		if (tooLarge) throw tooLarge;
	} catch (error) {
		if (error instanceof ImportFormatError) throw new ApiError(422, error.message);
		throw error;
	}
	let started;
	try {
		started = await startImport(event.locals.ctx, requestSource(event), {
			userId: user.id,
			source: body.source,
			plan
		});
	} catch (error) {
		if (error instanceof ImportsBusyError) {
			throw new ApiError(429, 'Many boards are being imported right now; try again shortly.', {
				headers: { 'retry-after': String(error.retryAfter) }
			});
		}
		throw error;
	}
	return json(started, { status: 202, headers: { location: `/api/v1/imports/${started.id}` } });
});
