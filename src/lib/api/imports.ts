/** What `GET /api/v1/imports/:id` answers: an import's progress and, once done, its report. */
export type ImportSourceName = 'trello' | 'csv' | 'taskflow';
export type ImportState = 'queued' | 'running' | 'done' | 'failed';
/**
 * What a running import is doing: waiting to start, matching people to accounts, building the
 * board's document, saving its cards, adding comments, finishing (committing).
 */
export const importPhases = [
	'waiting',
	'people',
	'document',
	'cards',
	'comments',
	'finishing'
] as const;
export type ImportPhase = (typeof importPhases)[number];

/** The largest import body: a 5,000-card Trello export with its actions is several MB. */
export const maxImportBodyBytes = 20 * 1024 * 1024;

/** How many skipped things a report lists; the rest are counted only. */
export const maxReportedSkips = 100;

export interface ImportReportDto {
	imported: { columns: number; cards: number; checklistItems: number; comments: number };
	/** The first `maxReportedSkips` things skipped (a file can skip thousands). */
	skipped: { what: string; reason: string }[];
	/** Everything skipped. */
	skippedCount: number;
	/** People the source named who have no TaskFlow account (cards left unassigned). */
	unmatchedPeople: string[];
	/**
	 * Accounts the source's assignees matched, made editors of the new board (each is notified):
	 * the importer shared the board with them, and should know.
	 */
	addedMembers: string[];
}

export interface ImportDto {
	id: string;
	source: ImportSourceName;
	state: ImportState;
	/** The step under way (the last one reached, once the import is over). */
	phase: ImportPhase;
	/**
	 * Progress units done out of `total`: each card counts twice (built into the document, then
	 * saved as a row), each comment once.
	 */
	done: number;
	total: number;
	boardId: string | null;
	report: ImportReportDto | null;
	/** Why a failed import failed, in a sentence. */
	error: string | null;
	createdAt: string;
	finishedAt: string | null;
}
