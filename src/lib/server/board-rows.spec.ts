import { describe, expect, it } from 'vitest';
import { sameChecklist, storedRows } from './board-rows.ts';

const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;

describe('storedRows', () => {
	it('writes only text PostgreSQL can hold, whatever the projection carries', () => {
		const { columns, tasks } = storedRows({
			columns: [
				{
					id: id(1),
					title: 'col\ud800',
					rank: 'a\u0000',
					category: 'todo',
					wipLimit: null,
					deletedAt: null
				}
			],
			tasks: [
				{
					id: id(2),
					columnId: id(1),
					rank: 'b\udc00',
					title: 'x\ud800',
					description: 'nul\u0000 and \udbff',
					status: 'todo',
					priority: 'medium',
					assigneeId: null,
					creatorId: id(3),
					createdAt: new Date(0).toISOString(),
					dueDate: null,
					labels: ['\ud800l'],
					checklist: [{ id: 'i', text: 'nul\u0000 \udbff', done: true }],
					deletedAt: null
				}
			]
		});
		expect(columns[0]).toMatchObject({ title: 'col\ufffd', rank: 'a' });
		expect(tasks[0]).toMatchObject({
			rank: 'b\ufffd',
			title: 'x\ufffd',
			description: 'nul and \ufffd',
			labels: ['\ufffdl'],
			checklist: [{ id: 'i', text: 'nul \ufffd', done: true }]
		});
	});

	it('compares checklists by item, whatever order jsonb gives the keys back in', () => {
		const stored = JSON.parse('[{"id":"a","done":true,"text":"x"}]');
		expect(sameChecklist(stored, [{ id: 'a', text: 'x', done: true }])).toBe(true);
		expect(sameChecklist(stored, [{ id: 'a', text: 'x', done: false }])).toBe(false);
		expect(sameChecklist(stored, [])).toBe(false);
	});
});
