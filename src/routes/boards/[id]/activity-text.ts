/**
 * Audit events as sentences for people ("Ana moved 'Fix login' from To do to In progress"),
 * from the payloads the server derives (`server/events/board-changes.ts`) and the HTTP events
 * (`member.*`, `board.created|archived`). Payloads are read defensively: older events, or
 * events from a newer server, may lack a field.
 */
import type { EventDto } from '$lib/api/events';

/** Current display name of a user id (assignees are stored as ids), or null if unknown. */
export type NameOf = (userId: string) => string | null;

type Payload = Record<string, unknown>;

const fieldNames: Record<string, string> = {
	title: 'title',
	description: 'description',
	priority: 'priority',
	assigneeId: 'assignee',
	dueDate: 'due date',
	labels: 'labels',
	checklist: 'checklist'
};
const categoryNames: Record<string, string> = {
	todo: 'To do',
	in_progress: 'In progress',
	done: 'Done'
};
const dayFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const quoted = (value: unknown, fallback = 'Untitled'): string => `'${text(value) || fallback}'`;
const record = (value: unknown): Payload =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Payload) : {};
const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function dueDate(value: unknown): string {
	const day = text(value);
	const parsed = day ? new Date(day.length === 10 ? `${day}T00:00:00Z` : day) : null;
	return parsed && !Number.isNaN(parsed.getTime()) ? dayFormat.format(parsed) : String(day);
}

function oneField(field: string, change: Payload, card: string, nameOf: NameOf): string {
	const { before, after } = change;
	switch (field) {
		case 'title':
			return `renamed ${quoted(before)} to ${quoted(after)}`;
		case 'description':
			return `edited the description of ${card}`;
		case 'priority':
			return `set the priority of ${card} to ${text(after) ?? 'none'}`;
		case 'assigneeId': {
			const person = (id: unknown) => (text(id) ? (nameOf(text(id)!) ?? 'a former member') : '');
			if (!text(after)) return `unassigned ${person(before) || 'everyone'} from ${card}`;
			return `assigned ${card} to ${person(after)}`;
		}
		case 'dueDate':
			if (!text(after)) return `removed the due date of ${card}`;
			return `set the due date of ${card} to ${dueDate(after)}`;
		case 'labels': {
			const was = strings(before);
			const now = strings(after);
			const added = now.filter((label) => !was.includes(label)).map((l) => quoted(l));
			const removed = was.filter((label) => !now.includes(label)).map((l) => quoted(l));
			if (added.length > 0 && removed.length === 0) {
				return `added the ${added.length > 1 ? 'labels' : 'label'} ${listed(added)} to ${card}`;
			}
			if (removed.length > 0 && added.length === 0) {
				const noun = removed.length > 1 ? 'labels' : 'label';
				return `removed the ${noun} ${listed(removed)} from ${card}`;
			}
			return `changed the labels of ${card}`;
		}
		case 'checklist': {
			const progress = record(after);
			const counts =
				typeof progress.done === 'number' && typeof progress.total === 'number'
					? ` (${progress.done} of ${progress.total} done)`
					: '';
			return `updated the checklist of ${card}${counts}`;
		}
		default:
			return `changed ${card}`;
	}
}

function taskUpdated(payload: Payload, nameOf: NameOf): string {
	const changes = record(payload.changes);
	const fields = Object.keys(changes);
	const card = quoted(payload.title);
	if (fields.length === 1) return oneField(fields[0]!, record(changes[fields[0]!]), card, nameOf);
	if (fields.length === 0) return `changed ${card}`;
	return `changed the ${listed(fields.map((f) => fieldNames[f] ?? f))} of ${card}`;
}

function columnUpdated(payload: Payload): string {
	const changes = record(payload.changes);
	const column = `the column ${quoted(payload.title)}`;
	const category = record(changes.category);
	const wip = record(changes.wipLimit);
	if ('category' in changes && 'wipLimit' in changes) {
		return `changed the category and WIP limit of ${column}`;
	}
	if ('category' in changes) {
		const name = categoryNames[text(category.after) ?? ''] ?? 'no category';
		return `set the category of ${column} to ${name}`;
	}
	if (typeof wip.after === 'number') return `set the WIP limit of ${column} to ${wip.after}`;
	return `removed the WIP limit of ${column}`;
}

function action(event: EventDto, nameOf: NameOf): string {
	const p = record(event.payload);
	const card = quoted(p.title);
	const column = (value: unknown) => text(value) ?? 'a deleted column';
	switch (event.type) {
		case 'task.created':
			return text(p.columnTitle) ? `created ${card} in ${p.columnTitle}` : `created ${card}`;
		case 'task.updated':
			return taskUpdated(p, nameOf);
		case 'task.moved':
			if (p.fromColumnId === p.toColumnId) return `reordered ${card} in ${column(p.toColumnTitle)}`;
			return `moved ${card} from ${column(p.fromColumnTitle)} to ${column(p.toColumnTitle)}`;
		case 'task.deleted':
			return p.hard === true ? `removed ${card} for good` : `deleted ${card}`;
		case 'task.restored':
			return `restored ${card}`;
		case 'column.created':
			return `added the column ${quoted(p.title)}`;
		case 'column.renamed':
			return `renamed the column ${quoted(p.before)} to ${quoted(p.after)}`;
		case 'column.updated':
			return columnUpdated(p);
		case 'column.moved':
			return typeof p.position === 'number'
				? `moved the column ${quoted(p.title)} to position ${p.position + 1}`
				: `moved the column ${quoted(p.title)}`;
		case 'column.deleted':
			return `deleted the column ${quoted(p.title)}`;
		case 'column.restored':
			return `restored the column ${quoted(p.title)}`;
		case 'board.created':
			return `created the board ${quoted(p.title)}`;
		case 'board.renamed':
			return `renamed the board ${quoted(p.before)} to ${quoted(p.after)}`;
		case 'board.archived':
			return `archived the board`;
		case 'board.deleted':
			return `deleted the board`;
		case 'board.restored':
			return `restored the board`;
		case 'board.owner_changed':
			return `made ${text(p.name) ?? 'someone'} an owner of the board`;
		case 'member.added':
			return `added ${text(p.name) ?? 'someone'} as ${text(p.role) ?? 'a member'}`;
		case 'member.removed':
			return `removed ${text(p.name) ?? 'a member'} from the board`;
		case 'member.role_changed':
			return `changed ${text(p.name) ?? 'a member'}’s role from ${text(p.before) ?? 'none'} to ${text(p.after) ?? 'none'}`;
		case 'comment.created':
			return `commented on ${card}`;
		case 'comment.updated':
			return `edited a comment on ${card}`;
		case 'comment.deleted':
			return `deleted a comment on ${card}`;
		default:
			return `did something (${event.type})`;
	}
}

/** One sentence, starting with who did it. */
export function describeEvent(event: EventDto, nameOf: NameOf): string {
	return `${event.actorName ?? 'Someone'} ${action(event, nameOf)}`;
}
