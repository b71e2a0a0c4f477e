/** What `GET /api/v1/imports/:id` answers: an import's progress and, once done, its report. */
export type ImportSourceName = 'trello' | 'csv' | 'taskflow';
export type ImportState = 'queued' | 'running' | 'done' | 'failed';

export interface ImportReportDto {
	imported: { columns: number; cards: number; checklistItems: number; comments: number };
	skipped: { what: string; reason: string }[];
	/** People the source named who have no TaskFlow account (cards left unassigned). */
	unmatchedPeople: string[];
}

export interface ImportDto {
	id: string;
	source: ImportSourceName;
	state: ImportState;
	/** Progress units done out of `total` (cards written, then comments added). */
	done: number;
	total: number;
	boardId: string | null;
	report: ImportReportDto | null;
	/** Why a failed import failed, in a sentence. */
	error: string | null;
	createdAt: string;
	finishedAt: string | null;
}
