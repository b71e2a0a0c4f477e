/**
 * The `imports` rows: an import's progress and report as the API shows them, and the sweep that
 * marks failed the imports a stopped process left unfinished. Kept apart from the runner so the
 * server's startup can use it without the request-side modules.
 */
import type { ImportDto, ImportPhase, ImportReportDto, ImportSourceName } from '../api/imports.ts';
export { maxImportBodyBytes } from '../api/imports.ts';
import { isUuid } from './boards.ts';
import type { Queryable } from './db/client.ts';

/** An import that has said nothing for this long belongs to a process that died. */
const abandonedAfter = '2 minutes';
export interface ImportRow {
	id: string;
	user_id: string;
	source: ImportSourceName;
	state: ImportDto['state'];
	phase: ImportPhase;
	done: number;
	total: number;
	board_id: string | null;
	/** As stored: reports of older versions lack the fields added since. */
	report:
		| (Omit<ImportReportDto, 'skippedCount' | 'addedMembers'> &
				Partial<Pick<ImportReportDto, 'skippedCount' | 'addedMembers'>>)
		| null;
	error: string | null;
	created_at: Date;
	finished_at: Date | null;
}

export function toImportDto(row: ImportRow): ImportDto {
	return {
		id: row.id,
		source: row.source,
		state: row.state,
		phase: row.phase,
		done: row.done,
		total: row.total,
		boardId: row.board_id,
		// Reports stored before `skippedCount` existed listed every skip; those before
		// `addedMembers` did not say who was added.
		report: row.report && {
			...row.report,
			skippedCount: row.report.skippedCount ?? row.report.skipped.length,
			addedMembers: row.report.addedMembers ?? []
		},
		error: row.error,
		createdAt: row.created_at.toISOString(),
		finishedAt: row.finished_at?.toISOString() ?? null
	};
}

/** The import if `userId` started it (anyone else is told it does not exist). */
export async function getImport(
	sql: Queryable,
	id: string,
	userId: string
): Promise<ImportDto | null> {
	// A looser pattern let '-' x 36 through to PostgreSQL, which refused it: a 500, not a 404.
	if (!isUuid(id)) return null;
	await failAbandonedImports(sql, id);
	const [row] = await sql<ImportRow[]>`
		select * from imports where id = ${id} and user_id = ${userId}`;
	return row ? toImportDto(row) : null;
}

/**
 * Marks failed the imports whose process died mid-way (silent for two minutes: a running
 * import writes at every step), all of them at startup or one when it is read.
 */
export async function failAbandonedImports(sql: Queryable, id?: string): Promise<number> {
	const rows = await sql`
		update imports
		set state = 'failed', error = 'The import stopped before it finished (the server restarted). Try again.',
			finished_at = now(), updated_at = now()
		where state in ('queued', 'running') and updated_at < now() - ${abandonedAfter}::interval
			${id ? sql`and id = ${id}` : sql``}`;
	return rows.count;
}
