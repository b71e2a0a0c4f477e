/**
 * A board's export (docs/export-format.md): TaskFlow's own JSON format or CSV, one row per card,
 * streamed from the `tasks` row mirror a batch per pull, so an export holds at most one batch in
 * memory, a slow client holds back the reads, and a cancelled download stops them.
 */
import type { z } from 'zod';
import type { Sql } from '../db/client.ts';
import { csvRow } from '../http/csv.ts';
import { listColumns } from './board-rows-read.ts';
import { boardExportSchema, exportFormatVersion } from './response-schemas.ts';

export { exportFormatVersion };
export const exportMediaType = 'application/vnd.taskflow.board+json';
const batchSize = 500;

export type BoardExport = z.infer<typeof boardExportSchema>;
type ExportCard = BoardExport['cards'][number];

export const csvHeader = [
	'column',
	'position',
	'title',
	'description',
	'priority',
	'labels',
	'due_date',
	'assignee_email',
	'created_at',
	'completed_at',
	'id'
] as const;

interface CardRow {
	id: string;
	column_id: string;
	column_title: string;
	title: string;
	description: string;
	priority: ExportCard['priority'];
	labels: string[];
	due_date: string | null;
	assignee_email: string | null;
	created_at: Date;
	completed_at: Date | null;
	/** The row mirror's checklist, in order (`{ id, text, done }`, migration 017). */
	checklist: { text: string; done: boolean }[];
	/** Oldest first; `[]` for the CSV export, which has no place for them. */
	comments: ExportCard['comments'];
}

/**
 * The live cards of live columns in board order, a batch at a time, with their comments (read
 * only for cards that have some: `comment_count` is kept with the comments).
 */
function cardBatches(sql: Sql, boardId: string, withComments: boolean): AsyncIterator<CardRow[]> {
	const comments = withComments
		? sql`case when t.comment_count = 0 then '[]'::json else (
				select json_agg(json_build_object(
					'author', cu.display_name,
					'createdAt', to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
					'body', m.body) order by m.seq)
				from comments m left join users cu on cu.id = m.author_id
				where m.board_id = t.board_id and m.task_id = t.id) end`
		: sql`'[]'::json`;
	const query = sql<CardRow[]>`
		select t.id, t.column_id, c.title as column_title, t.title, t.description, t.priority,
			t.labels, to_char(t.due_date, 'YYYY-MM-DD') as due_date, u.email as assignee_email,
			t.created_at, t.completed_at, t.checklist, coalesce(${comments}, '[]'::json) as comments
		from tasks t
		join board_columns c on c.board_id = t.board_id and c.id = t.column_id
		left join users u on u.id = t.assignee_id
		where t.board_id = ${boardId} and t.deleted_at is null and c.deleted_at is null
		order by c.rank collate "C", c.id, t.rank collate "C", t.id`;
	return query.cursor(batchSize)[Symbol.asyncIterator]();
}

/** Numbers the cards within their column as the rows arrive (they come column by column). */
function positions() {
	let column: string | null = null;
	let next = 0;
	return (columnId: string) => {
		if (columnId !== column) [column, next] = [columnId, 0];
		return next++;
	};
}

function toCard(row: CardRow, position: number): ExportCard {
	return {
		id: row.id,
		columnId: row.column_id,
		position,
		title: row.title,
		description: row.description,
		priority: row.priority,
		labels: row.labels,
		dueDate: row.due_date,
		assigneeEmail: row.assignee_email,
		createdAt: row.created_at.toISOString(),
		completedAt: row.completed_at?.toISOString() ?? null,
		// The item ids are the source board's and mean nothing to an import.
		checklist: row.checklist.map(({ text, done }) => ({ text, done })),
		comments: row.comments
	};
}

/** A stream that writes `head` first, then each batch's text, then `tail`. */
function streamOf(
	batches: AsyncIterator<CardRow[]>,
	head: () => Promise<string>,
	render: (rows: CardRow[]) => string,
	tail: string,
	onError: (error: unknown) => void
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let started = false;
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				if (!started) {
					started = true;
					controller.enqueue(encoder.encode(await head()));
					return;
				}
				const { done, value } = await batches.next();
				if (done) {
					controller.enqueue(encoder.encode(tail));
					controller.close();
					return;
				}
				controller.enqueue(encoder.encode(render(value)));
			} catch (error) {
				// Headers are sent: the only signal left is an aborted body (an incomplete file).
				onError(error);
				controller.error(error);
			}
		},
		async cancel() {
			await batches.return?.();
		}
	});
}

export interface ExportSource {
	sql: Sql;
	board: { id: string; title: string };
	/** The board's label colours: they live in its document only, not in the rows. */
	labelColors(): Promise<BoardExport['labelColors']>;
	onError(error: unknown): void;
}

/** The board as TaskFlow's JSON export, streamed. */
export function exportJson({
	sql,
	board,
	labelColors,
	onError
}: ExportSource): ReadableStream<Uint8Array> {
	const position = positions();
	let first = true;
	return streamOf(
		cardBatches(sql, board.id, true),
		async () => {
			const columns = (await listColumns(sql, board.id, false)).map((column, i) => ({
				id: column.id,
				title: column.title,
				category: column.category,
				wipLimit: column.wipLimit,
				position: i
			}));
			const head = {
				format: 'taskflow.board',
				version: exportFormatVersion,
				exportedAt: new Date().toISOString(),
				board: { id: board.id, title: board.title },
				labelColors: await labelColors(),
				columns
			};
			// The object without its closing brace; the cards follow as its last member.
			return `${JSON.stringify(head).slice(0, -1)},"cards":[`;
		},
		(rows) =>
			rows
				.map((row) => {
					const text = JSON.stringify(toCard(row, position(row.column_id)));
					const out = first ? text : `,${text}`;
					first = false;
					return out;
				})
				.join(''),
		']}',
		onError
	);
}

/** The board as CSV, one row per card (RFC 4180, formula cells quoted), streamed. */
export function exportCsv({ sql, board, onError }: ExportSource): ReadableStream<Uint8Array> {
	const position = positions();
	return streamOf(
		cardBatches(sql, board.id, false),
		async () => csvRow(csvHeader),
		(rows) =>
			rows
				.map((row) => {
					const card = toCard(row, position(row.column_id));
					return csvRow([
						row.column_title,
						String(card.position),
						card.title,
						card.description,
						card.priority,
						card.labels.join('; '),
						card.dueDate,
						card.assigneeEmail,
						card.createdAt,
						card.completedAt,
						card.id
					]);
				})
				.join(''),
		'',
		onError
	);
}

/** `attachment` with an ASCII name and the title in UTF-8 (RFC 6266), e.g. `launch-plan.csv`. */
export function exportDisposition(title: string, extension: 'json' | 'csv'): string {
	const day = new Date().toISOString().slice(0, 10);
	const ascii =
		title
			.normalize('NFKD')
			.replace(/[^\w\s-]/g, '')
			.trim()
			.replace(/[\s_]+/g, '-')
			.toLowerCase()
			.slice(0, 60) || 'board';
	const utf8 = encodeURIComponent(`${title}-${day}.${extension}`);
	return `attachment; filename="${ascii}-${day}.${extension}"; filename*=UTF-8''${utf8}`;
}
