/**
 * The board's card filter: what it asks for (read from and written to the page's query
 * string), whether a card matches, and the columns with only the matching cards. Pure: reads
 * only the view.
 *
 * Cost: a keystroke tests every card, so each card's lowercase search text (title,
 * description, labels) is made once per card object and kept in a WeakMap. The live view
 * replaces only the cards a change touched, so an edit re-normalises that card alone and a
 * keystroke in the filter only runs `indexOf` over cached strings.
 */
import type { ColumnView, TaskPriority, TaskView } from '$lib/domain/board';
import { taskPriorities } from '$lib/domain/board';
import { weekEnd } from '$lib/domain/due-groups';

export const dueFilters = ['overdue', 'today', 'week', 'none'] as const;
export type DueFilter = (typeof dueFilters)[number];

/** What the filter bar holds; '' means "any" (so a `<select>` binds to it directly). */
export interface CardFilter {
	/** Free text: every word must occur in the title, description or a label. */
	q: string;
	label: string;
	/** `me`, `nobody`, or a member's user id. */
	assignee: string;
	due: DueFilter | '';
	priority: TaskPriority | '';
}

export const emptyFilter: CardFilter = { q: '', label: '', assignee: '', due: '', priority: '' };

/** The query parameters the filter owns; others (such as `card`) are left alone. */
export const filterKeys = ['q', 'label', 'assignee', 'due', 'priority'] as const;

/** Longest free text kept from a URL: a card title is at most this long too. */
const maxText = 200;

/** The filter a URL asks for; unknown values are ignored rather than refused (it is a link). */
export function parseFilter(params: URLSearchParams): CardFilter {
	const text = (key: string) => (params.get(key) ?? '').slice(0, maxText);
	const due = params.get('due') ?? '';
	const priority = params.get('priority') ?? '';
	return {
		q: text('q'),
		label: text('label'),
		assignee: text('assignee'),
		due: (dueFilters as readonly string[]).includes(due) ? (due as DueFilter) : '',
		priority: (taskPriorities as readonly string[]).includes(priority)
			? (priority as TaskPriority)
			: ''
	};
}

/** `url` with the filter's parameters set (empty ones removed) and every other kept. */
export function withFilter(url: URL, filter: CardFilter): URL {
	const next = new URL(url);
	for (const key of filterKeys) {
		const value = key === 'q' ? filter.q.trim() : filter[key];
		if (value) next.searchParams.set(key, value);
		else next.searchParams.delete(key);
	}
	return next;
}

export function sameFilter(a: CardFilter, b: CardFilter): boolean {
	return filterKeys.every((key) => (key === 'q' ? a.q.trim() === b.q.trim() : a[key] === b[key]));
}

export function isActive(filter: CardFilter): boolean {
	return filterKeys.some((key) => (key === 'q' ? filter.q.trim() !== '' : filter[key] !== ''));
}

/** The free text's words, lowercase, each to be found somewhere in the card. */
export function searchTerms(q: string): string[] {
	return [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))];
}

const searchTexts = new WeakMap<TaskView, string>();

/** The card's title, description and labels in lowercase; made once per card object. */
export function searchText(task: TaskView): string {
	let text = searchTexts.get(task);
	if (text === undefined) {
		// A line break between the parts: no word spans two of them.
		text = `${task.title}\n${task.description}\n${task.labels.join('\n')}`.toLowerCase();
		searchTexts.set(task, text);
	}
	return text;
}

/** Whose view the filter is read in: `me` for "assigned to me", `today` (local) for due dates. */
export interface FilterContext {
	me: string;
	today: string;
}

/** Tests one card; `done` says whether its column is a done column. */
export type CardTest = (task: TaskView, done: boolean) => boolean;

/**
 * The test of a filter, or null when it filters nothing. Overdue follows the card face: cards
 * in a done column are finished, so they are never overdue.
 */
export function compileFilter(filter: CardFilter, context: FilterContext): CardTest | null {
	if (!isActive(filter)) return null;
	const terms = searchTerms(filter.q);
	const { label, assignee, due, priority } = filter;
	const assigneeId = assignee === 'me' ? context.me : assignee === 'nobody' ? null : assignee;
	const { today } = context;
	const end = weekEnd(today);
	return (task, done) => {
		if (priority && task.priority !== priority) return false;
		if (assignee && task.assigneeId !== assigneeId) return false;
		if (label && !task.labels.includes(label)) return false;
		if (due) {
			const date = task.dueDate;
			if (due === 'none' ? date !== null : date === null) return false;
			if (due === 'overdue' && (done || (date as string) >= today)) return false;
			if (due === 'today' && date !== today) return false;
			if (due === 'week' && ((date as string) < today || (date as string) > end)) return false;
		}
		if (terms.length === 0) return true;
		const text = searchText(task);
		return terms.every((term) => text.includes(term));
	};
}

/** A column with only its matching cards; `taskCount` counts those, `total` all of them. */
export type FilteredColumn = ColumnView & { total: number };

/**
 * The columns with only the cards that pass `test`. Each result is kept per column object and
 * test, so a change to one column re-filters that column alone.
 */
export class ColumnFilter {
	#test: CardTest | null = null;
	#cache = new WeakMap<ColumnView, FilteredColumn>();

	apply(columns: readonly ColumnView[], test: CardTest | null): readonly ColumnView[] {
		if (test === null) return columns;
		if (test !== this.#test) {
			this.#test = test;
			this.#cache = new WeakMap();
		}
		return columns.map((column) => {
			let filtered = this.#cache.get(column);
			if (!filtered) {
				const done = column.category === 'done';
				const tasks = column.tasks.filter((task) => test(task, done));
				filtered = { ...column, tasks, taskCount: tasks.length, total: column.taskCount };
				this.#cache.set(column, filtered);
			}
			return filtered;
		});
	}
}

/** All cards of a column when it is not filtered, else how many there are in all. */
export function totalOf(column: ColumnView): number | null {
	return 'total' in column ? (column as FilteredColumn).total : null;
}

/**
 * Where a card goes in the whole column when it is placed at `index` among the other cards
 * shown (`shown`, the filtered column). The rule: right before the shown card it was put in
 * front of; behind the last shown card when put after all of them; at the top when the column
 * shows no other card. Hidden cards keep their order around it. Returns an index among the
 * whole column's other cards (what `beforeTaskId` takes).
 */
export function indexInColumn(
	column: ColumnView,
	shown: ColumnView,
	taskId: string,
	index: number
): number {
	if (shown.tasks === column.tasks) return index;
	const others = shown.tasks.filter((task) => task.id !== taskId);
	if (others.length === 0) return 0;
	const anchor = others[Math.min(index, others.length - 1)] as TaskView;
	const at = column.tasks.filter((task) => task.id !== taskId).findIndex((t) => t.id === anchor.id);
	if (at < 0) return 0;
	return index >= others.length ? at + 1 : at;
}

/** The distinct labels on the board's cards, sorted; read on demand, not on every change. */
export function boardLabels(columns: readonly ColumnView[]): string[] {
	const labels = new Set<string>();
	for (const column of columns)
		for (const task of column.tasks) for (const l of task.labels) labels.add(l);
	return [...labels].sort((a, b) => a.localeCompare(b));
}

/** A text cut into runs that match one of the terms (case-insensitive) and runs that do not. */
export interface TextPart {
	text: string;
	match: boolean;
}

export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
	if (terms.length === 0 || text === '') return [{ text, match: false }];
	const lower = text.toLowerCase();
	// Lowercasing may change a string's length (rare letters); then marks could land wrong.
	if (lower.length !== text.length) return [{ text, match: false }];
	const marked = new Uint8Array(text.length);
	for (const term of terms) {
		for (let at = lower.indexOf(term); at >= 0; at = lower.indexOf(term, at + 1)) {
			marked.fill(1, at, at + term.length);
		}
	}
	const parts: TextPart[] = [];
	let start = 0;
	for (let i = 1; i <= text.length; i++) {
		if (i === text.length || marked[i] !== marked[start]) {
			parts.push({ text: text.slice(start, i), match: marked[start] === 1 });
			start = i;
		}
	}
	return parts;
}
