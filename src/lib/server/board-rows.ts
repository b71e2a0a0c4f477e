/**
 * Keeps `board_columns` and `tasks` equal to the projection of a board document. Only rows
 * whose values changed are written; each such write bumps `version`.
 */
import type { ColumnRow, TaskRow } from '../domain/board/projection.ts';
import type { ChecklistItemView } from '../domain/board/read.ts';
import { cleanText } from '../domain/board/records.ts';
import { isItemId } from '../domain/board/schema.ts';
import { batches, charsPerStatement } from './db/batches.ts';
import { jsonParameter, type Tx } from './db/client.ts';

interface StoredColumn {
	id: string;
	title: string;
	rank: string;
	category: string;
	wip_limit: number | null;
	deleted_at: Date | null;
}

/** A `tasks` row as stored. */
export interface TaskDbRow {
	board_id: string;
	id: string;
	column_id: string | null;
	rank: string;
	title: string;
	description: string;
	status: string;
	priority: string;
	assignee_id: string | null;
	creator_id: string | null;
	labels: string[];
	checklist: ChecklistItemView[];
	due_date: string | null;
	created_at: Date;
	updated_at: Date;
	completed_at: Date | null;
	deleted_at: Date | null;
	version: number;
}

/** The `tasks` columns a store compares against. */
type StoredTask = Omit<TaskDbRow, 'board_id' | 'updated_at' | 'version'>;

/** Lower case only (`isItemId`): one upsert cannot write a row twice. */
const isUuid = (v: string | null): boolean => v === null || isItemId(v);
/** Compares instants whatever the string form (a client may write any ISO offset). */
const sameInstant = (a: string | null, b: Date | null) =>
	a === null || b === null ? a === null && b === null : Date.parse(a) === b.getTime();
const epoch = new Date(0).toISOString();
/**
 * An instant `timestamptz` accepts: JavaScript dates reach years PostgreSQL refuses
 * (`+275760-09-13T…`), which would fail the whole row write. Outside years 1–9999 it becomes
 * `outOfRange` (a deletion stays a deletion, dated at the epoch).
 */
function validInstant(v: string | null, outOfRange: string | null = null): string | null {
	if (v === null) return null;
	const time = Date.parse(v);
	if (!Number.isFinite(time)) return null;
	const year = new Date(time).getUTCFullYear();
	return year >= 1 && year <= 9999 ? v : outOfRange;
}

/** Item by item: jsonb hands objects back with its own key order, so JSON text would differ. */
export function sameChecklist(a: ChecklistItemView[], b: ChecklistItemView[]): boolean {
	return (
		a.length === b.length &&
		a.every((item, i) => {
			const other = b[i]!;
			return item.id === other.id && item.text === other.text && item.done === other.done;
		})
	);
}

/** Text PostgreSQL can hold: no NUL, no lone surrogate (the length is the reader's concern). */
const storable = (v: string) => cleanText(v, Infinity);

const categories = new Set(['todo', 'in_progress', 'done']);
const priorities = new Set(['low', 'medium', 'high', 'urgent']);
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string | null) =>
	v !== null && isoDate.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
		? v
		: null;

/**
 * The document is written by clients; anything the table constraints would refuse is mapped
 * to a safe value here, so one bad field can never make every later store fail.
 */
function sanitizeColumn(c: ColumnRow): ColumnRow {
	return {
		...c,
		title: storable(c.title),
		rank: storable(c.rank),
		category: categories.has(c.category) ? c.category : 'todo',
		wipLimit: Number.isInteger(c.wipLimit) ? c.wipLimit : null,
		deletedAt: validInstant(c.deletedAt, epoch)
	};
}

/** A task row as written: references that are not valid ids become null. */
type TaskRecord = Omit<TaskRow, 'columnId' | 'creatorId'> & {
	columnId: string | null;
	creatorId: string | null;
};

function sanitizeTask(t: TaskRow): TaskRecord {
	return {
		...t,
		title: storable(t.title),
		description: storable(t.description),
		rank: storable(t.rank),
		columnId: isUuid(t.columnId) ? t.columnId : null,
		assigneeId: isUuid(t.assigneeId) ? t.assigneeId : null,
		creatorId: isUuid(t.creatorId) ? t.creatorId : null,
		status: categories.has(t.status) ? t.status : 'todo',
		priority: priorities.has(t.priority) ? t.priority : 'medium',
		dueDate: validDate(t.dueDate),
		labels: t.labels.filter((l) => typeof l === 'string').map(storable),
		checklist: t.checklist.map((item) => ({
			...item,
			id: storable(item.id),
			text: storable(item.text)
		})),
		deletedAt: validInstant(t.deletedAt, epoch),
		createdAt: validInstant(t.createdAt) ?? epoch
	};
}

/** The rows a projection is stored as (what the tables must equal once a store settles). */
export function storedRows(projection: { columns: ColumnRow[]; tasks: TaskRow[] }) {
	return {
		columns: projection.columns.filter((c) => isUuid(c.id)).map(sanitizeColumn),
		tasks: projection.tasks.filter((t) => isUuid(t.id)).map(sanitizeTask)
	};
}

/**
 * A large first store (or a recovery into empty tables) is written in slices: each statement's
 * rows travel as one JSON text, which a slice keeps to a size the driver and the server handle
 * comfortably, whatever the cards hold (a card's text can reach about half a megabyte).
 */
const rowsPerStatement = 1000;

/** Rows per statement when someone follows the progress (an import): steps they can see. */
const rowsPerReportedStatement = 500;

/** The text a task row carries, about what it adds to a statement's JSON. */
function taskRowChars(row: TaskRowValues): number {
	let chars = row.title.length + row.description.length + 512;
	for (const label of row.labels) chars += label.length;
	for (const item of row.checklist) chars += item.text.length + 64;
	return chars;
}

export interface RowChanges {
	columns: number;
	tasks: number;
}

/** Told how many card rows are written so far, after each statement of a large write. */
export type RowProgress = (written: number) => Promise<void>;

export async function syncBoardRows(
	tx: Tx,
	boardId: string,
	projection: { columns: ColumnRow[]; tasks: TaskRow[] },
	onTasks?: RowProgress
): Promise<RowChanges> {
	const { columns, tasks } = storedRows(projection);

	const storedColumns = new Map(
		(
			await tx<StoredColumn[]>`
				select id, title, rank, category, wip_limit, deleted_at
				from board_columns where board_id = ${boardId}`
		).map((c) => [c.id, c])
	);
	const changedColumns = columns.filter((c) => {
		const s = storedColumns.get(c.id);
		return (
			!s ||
			s.title !== c.title ||
			s.rank !== c.rank ||
			s.category !== c.category ||
			s.wip_limit !== c.wipLimit ||
			!sameInstant(c.deletedAt, s.deleted_at)
		);
	});
	for (const batch of batches(changedColumns, { rows: rowsPerStatement })) {
		await tx`
			insert into board_columns ${tx(
				batch.map((c) => ({
					board_id: boardId,
					id: c.id,
					title: c.title,
					rank: c.rank,
					category: c.category,
					wip_limit: c.wipLimit,
					deleted_at: c.deletedAt
				}))
			)}
			on conflict (board_id, id) do update set
				title = excluded.title, rank = excluded.rank, category = excluded.category,
				wip_limit = excluded.wip_limit, deleted_at = excluded.deleted_at,
				version = board_columns.version + 1, updated_at = now()`;
	}
	const stored = await tx<StoredTask[]>`
		select ${tx.unsafe(storedTaskColumns)} from tasks where board_id = ${boardId}`;
	const changedTasks = await writeTasks(tx, boardId, tasks, stored, onTasks);
	return { columns: changedColumns.length, tasks: changedTasks };
}

/** Some cards of one board: their projected rows, and every id an edit touched. */
export interface TouchedTasks {
	boardId: string;
	/** Projected rows of the touched cards that still exist (others are ignored). */
	tasks: TaskRow[];
	/** Every id touched; one without a row is a card removed outright and reads as deleted. */
	taskIds: ReadonlySet<string>;
}

/**
 * Writes the touched cards of any number of boards in one statement, without reading the rows
 * first: PostgreSQL compares each row with what is stored and leaves equal rows alone (no
 * write, no `version` bump), and works out `completed_at` from the stored status. This is what
 * edits between stores cost: one upsert per batch of boards, in proportion to the cards touched.
 */
export async function upsertTouchedTasks(tx: Tx, touched: TouchedTasks[]): Promise<void> {
	const rows: TaskRowValues[] = [];
	const vanishedBoards: string[] = [];
	const vanishedIds: string[] = [];
	const now = new Date().toISOString();
	for (const { boardId, tasks: projected, taskIds } of touched) {
		const ids = [...taskIds].filter(isItemId);
		if (ids.length === 0) continue;
		const wanted = new Set(ids);
		const { tasks } = storedRows({ columns: [], tasks: projected.filter((t) => wanted.has(t.id)) });
		const live = new Set(tasks.map((t) => t.id));
		for (const id of ids) {
			if (live.has(id)) continue;
			vanishedBoards.push(boardId);
			vanishedIds.push(id);
		}
		for (const t of tasks) rows.push(taskValues(boardId, t, t.status === 'done' ? now : null));
	}
	await upsertTaskRows(tx, rows);
	// A hostile client can remove a map entry outright; the row then reads as deleted.
	if (vanishedIds.length > 0) {
		await tx`
			update tasks set deleted_at = now(), version = version + 1, updated_at = now()
			from unnest(${vanishedBoards}::uuid[], ${vanishedIds}::uuid[]) as gone(board_id, id)
			where tasks.board_id = gone.board_id and tasks.id = gone.id and tasks.deleted_at is null`;
	}
}

/**
 * Inserts or updates card rows; an update happens only where a value differs (and then bumps
 * `version`). `completed_at` marks entering a done column and clears on leaving it, worked out
 * from the stored status.
 *
 * The same statement appends a `task_transitions` row for each card created or whose status
 * changed: every part of a statement reads the snapshot from before it, so `prior` holds the
 * old statuses, and the cost stays in proportion to the rows written. `prior` is materialized:
 * left to itself the planner nested it inside the join with `written`, re-reading all of
 * `input` once per written row (quadratic in the batch: 2.6 of 7.5 ms for 125 rows, and the
 * seed load's largest PostgreSQL cost). Each input row finds its stored row by key (a lateral
 * lookup the planner cannot turn into a join): it takes `json_to_recordset` for 100 rows
 * whatever the batch holds, and a join then hashed the input and read the whole table.
 */
async function upsertTaskRows(tx: Tx, rows: TaskRowValues[], onTasks?: RowProgress): Promise<void> {
	let written = 0;
	const size = onTasks ? rowsPerReportedStatement : rowsPerStatement;
	for (const batch of batches(rows, {
		rows: size,
		chars: charsPerStatement,
		weigh: taskRowChars
	})) {
		// The rows as one JSON parameter, not a VALUES list: one statement text whatever the
		// number of rows, parsed and planned once per connection instead of once per batch size
		// (at a thousand edits a second the row batches have every size, and each new text cost a
		// parse, a plan and a round trip for its parameter types). Not an array per column either:
		// the driver escaped every element of sixteen arrays, where JSON.stringify is native (40 %
		// less client CPU per row, docs/performance.md "Fourth pass"), and labels and checklists
		// stay JSON instead of JSON text in a text[].
		await tx`
			with input as (
				select * from json_to_recordset(${jsonParameter(tx, batch)}::json)
					as v(board_id uuid, id uuid, column_id uuid, rank text, title text, description text,
						status text, priority text, assignee_id uuid, creator_id uuid, labels jsonb,
						checklist jsonb, due_date date, created_at timestamptz, deleted_at timestamptz,
						completed_at timestamptz)
			), prior as materialized (
				select k.board_id, k.id, t.status
				from input k
				join lateral (
					select tasks.status from tasks
					where tasks.board_id = k.board_id and tasks.id = k.id
					limit 1
				) t on true
			), written as (
				insert into tasks (board_id, id, column_id, rank, title, description, status, priority,
					assignee_id, creator_id, labels, checklist, due_date, created_at, deleted_at,
					completed_at)
				select board_id, id, column_id, rank, title, description, status, priority, assignee_id,
					creator_id, array(select jsonb_array_elements_text(labels)), checklist, due_date,
					created_at, deleted_at, completed_at
				from input
				on conflict (board_id, id) do update set
					column_id = excluded.column_id, rank = excluded.rank, title = excluded.title,
					description = excluded.description, status = excluded.status,
					priority = excluded.priority, assignee_id = excluded.assignee_id,
					creator_id = excluded.creator_id, labels = excluded.labels,
					checklist = excluded.checklist, due_date = excluded.due_date, deleted_at = excluded.deleted_at,
					completed_at = case
						when excluded.status <> 'done' then null
						when tasks.status = 'done' then tasks.completed_at
						else now() end,
					version = tasks.version + 1, updated_at = now()
				where (tasks.column_id, tasks.rank, tasks.title, tasks.description, tasks.status,
						tasks.priority, tasks.assignee_id, tasks.creator_id, tasks.labels, tasks.checklist,
						tasks.due_date, tasks.deleted_at)
					is distinct from (excluded.column_id, excluded.rank, excluded.title,
						excluded.description, excluded.status, excluded.priority, excluded.assignee_id,
						excluded.creator_id, excluded.labels, excluded.checklist, excluded.due_date,
						excluded.deleted_at)
				returning board_id, id, status
			)
			insert into task_transitions (board_id, task_id, from_category, to_category, at)
			select written.board_id, written.id, prior.status, written.status, now()
			from written
			left join prior on prior.board_id = written.board_id and prior.id = written.id
			where prior.status is distinct from written.status`;
		written += batch.length;
		await onTasks?.(written);
	}
}

/**
 * A card's row as inserted (`completed_at` is used only when the row is new): the stored row's
 * columns, with times as ISO text (see `upsertTaskRows`).
 */
type TaskRowValues = Omit<
	TaskDbRow,
	'created_at' | 'updated_at' | 'completed_at' | 'deleted_at' | 'version'
> & {
	created_at: string;
	deleted_at: string | null;
	completed_at: string | null;
};

function taskValues(boardId: string, t: TaskRecord, completedAt: string | null): TaskRowValues {
	return {
		board_id: boardId,
		id: t.id,
		column_id: t.columnId,
		rank: t.rank,
		title: t.title,
		description: t.description,
		status: t.status,
		priority: t.priority,
		assignee_id: t.assigneeId,
		creator_id: t.creatorId,
		labels: t.labels,
		checklist: t.checklist,
		due_date: t.dueDate,
		created_at: t.createdAt,
		deleted_at: t.deletedAt,
		completed_at: completedAt
	};
}

const storedTaskColumns = `id, column_id, rank, title, description, status, priority, assignee_id,
	creator_id, labels, checklist, to_char(due_date, 'YYYY-MM-DD') as due_date, created_at, deleted_at,
	completed_at`;

/** Writes the cards whose rows differ from `stored`; returns how many rows changed. */
async function writeTasks(
	tx: Tx,
	boardId: string,
	tasks: TaskRecord[],
	storedRowsList: StoredTask[],
	onTasks?: RowProgress
): Promise<number> {
	const storedTasks = new Map(storedRowsList.map((t) => [t.id, t]));
	const now = new Date().toISOString();
	const changedTasks = tasks.filter((t) => {
		const s = storedTasks.get(t.id);
		return (
			!s ||
			s.column_id !== t.columnId ||
			s.rank !== t.rank ||
			s.title !== t.title ||
			s.description !== t.description ||
			s.status !== t.status ||
			s.priority !== t.priority ||
			s.assignee_id !== t.assigneeId ||
			s.creator_id !== t.creatorId ||
			s.due_date !== t.dueDate ||
			s.labels.join('\u0000') !== t.labels.join('\u0000') ||
			!sameChecklist(s.checklist, t.checklist) ||
			!sameInstant(t.deletedAt, s.deleted_at)
		);
	});
	await upsertTaskRows(
		tx,
		changedTasks.map((t) => taskValues(boardId, t, t.status === 'done' ? now : null)),
		onTasks
	);

	// A hostile client can remove a map entry outright; the row then reads as deleted.
	const liveTaskIds = new Set(tasks.map((t) => t.id));
	const vanished = storedRowsList.filter((s) => !liveTaskIds.has(s.id) && !s.deleted_at);
	if (vanished.length > 0) {
		await tx`
			update tasks set deleted_at = now(), version = version + 1, updated_at = now()
			where board_id = ${boardId} and id = any(${vanished.map((v) => v.id)}::uuid[])`;
	}
	return changedTasks.length + vanished.length;
}
