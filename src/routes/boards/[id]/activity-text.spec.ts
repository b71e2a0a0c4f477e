import { describe, expect, it } from 'vitest';
import type { EventDto } from '$lib/api/events';
import { describeEvent, listed } from './activity-text';

const names: Record<string, string> = { ben: 'Ben' };
const nameOf = (id: string) => names[id] ?? null;

function event(type: string, payload: Record<string, unknown>, actorName = 'Ana'): EventDto {
	return {
		id: 'e1',
		type,
		actorId: 'ana',
		actorName,
		entityId: 'x',
		entityType: type.split('.')[0] as EventDto['entityType'],
		boardId: 'b',
		payload,
		metadata: null,
		correlationId: 'c',
		createdAt: '2026-01-01T10:00:00.000Z'
	};
}
const say = (type: string, payload: Record<string, unknown>) =>
	describeEvent(event(type, payload), nameOf);

describe('activity sentences', () => {
	it('tells card events', () => {
		expect(say('task.created', { title: 'Fix login', columnTitle: 'To do' })).toBe(
			"Ana created 'Fix login' in To do"
		);
		expect(
			say('task.moved', {
				title: 'Fix login',
				fromColumnId: 'a',
				toColumnId: 'b',
				fromColumnTitle: 'To do',
				toColumnTitle: 'In progress'
			})
		).toBe("Ana moved 'Fix login' from To do to In progress");
		expect(
			say('task.moved', { title: 'A', fromColumnId: 'a', toColumnId: 'a', toColumnTitle: 'To do' })
		).toBe("Ana reordered 'A' in To do");
		expect(say('task.deleted', { title: 'A' })).toBe("Ana deleted 'A'");
		expect(say('task.restored', { title: 'A' })).toBe("Ana restored 'A'");
	});

	it('tells comment events, never their text', () => {
		expect(say('comment.created', { title: 'Fix login', taskId: 't' })).toBe(
			"Ana commented on 'Fix login'"
		);
		expect(say('comment.updated', { title: 'A' })).toBe("Ana edited a comment on 'A'");
		expect(say('comment.deleted', { title: 'A' })).toBe("Ana deleted a comment on 'A'");
	});

	it('says which fields an update changed', () => {
		const update = (changes: Record<string, unknown>) =>
			say('task.updated', { title: 'A', changes });
		expect(update({ title: { before: 'Old', after: 'A' } })).toBe("Ana renamed 'Old' to 'A'");
		expect(update({ assigneeId: { before: null, after: 'ben' } })).toBe("Ana assigned 'A' to Ben");
		expect(update({ assigneeId: { before: 'ben', after: null } })).toBe(
			"Ana unassigned Ben from 'A'"
		);
		expect(update({ dueDate: { before: null, after: '2026-03-04' } })).toBe(
			"Ana set the due date of 'A' to Mar 4, 2026"
		);
		expect(update({ labels: { before: ['x'], after: ['x', 'bug'] } })).toBe(
			"Ana added the label 'bug' to 'A'"
		);
		expect(update({ description: { before: { chars: 0 }, after: { chars: 5 } } })).toBe(
			"Ana edited the description of 'A'"
		);
		expect(
			update({ checklist: { before: { done: 0, total: 2 }, after: { done: 1, total: 2 } } })
		).toBe("Ana updated the checklist of 'A' (1 of 2 done)");
		expect(update({ priority: { before: 'low', after: 'high' }, dueDate: {}, title: {} })).toBe(
			"Ana changed the priority, due date and title of 'A'"
		);
	});

	it('tells column, board and member events', () => {
		expect(say('column.renamed', { before: 'Doing', after: 'In progress' })).toBe(
			"Ana renamed the column 'Doing' to 'In progress'"
		);
		expect(say('column.updated', { title: 'Doing', changes: { wipLimit: { after: 3 } } })).toBe(
			"Ana set the WIP limit of the column 'Doing' to 3"
		);
		expect(say('column.moved', { title: 'Done', position: 0 })).toBe(
			"Ana moved the column 'Done' to position 1"
		);
		expect(say('board.renamed', { before: 'A', after: 'B' })).toBe(
			"Ana renamed the board 'A' to 'B'"
		);
		expect(say('member.added', { name: 'Ben', role: 'editor' })).toBe('Ana added Ben as editor');
		expect(say('board.restored', { title: 'A' })).toBe('Ana restored the board');
		expect(say('board.owner_changed', { name: 'Ben', before: 'editor' })).toBe(
			'Ana made Ben an owner of the board'
		);
		expect(describeEvent({ ...event('board.archived', {}), actorName: null }, nameOf)).toBe(
			'Someone archived the board'
		);
	});

	it('lists', () => {
		expect(listed(['a', 'b', 'c'])).toBe('a, b and c');
	});
});
