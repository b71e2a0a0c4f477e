/**
 * Export → import of a TaskFlow board keeps its content: a board built with the domain
 * operations, written in the export format (docs/export-format.md) as the export endpoint writes
 * it, planned back with nothing reported as skipped.
 */
import { describe, expect, it } from 'vitest';
import {
	addChecklistItem,
	createTask,
	readBoard,
	setLabelColor,
	toggleChecklistItem,
	setWipLimit,
	type BoardView
} from '../board/index.ts';
import { createBoard } from '../board/testing.ts';
import { planFromTaskflow } from './taskflow.ts';

type Comment = { author: string | null; createdAt: string; body: string };

/** The export's fields for a board view (what `board-export.ts` reads from the rows). */
function exportOf(view: BoardView, comments: Record<string, Comment[]>) {
	return {
		format: 'taskflow.board',
		version: 1,
		exportedAt: '2026-03-02T10:00:00.000Z',
		board: { id: 'b', title: view.title },
		labelColors: view.labelColors,
		columns: view.columns.map((column, position) => ({
			id: column.id,
			title: column.title,
			category: column.category,
			wipLimit: column.wipLimit,
			position
		})),
		cards: view.columns.flatMap((column) =>
			column.tasks.map((task, position) => ({
				id: task.id,
				columnId: column.id,
				position,
				title: task.title,
				description: task.description,
				priority: task.priority,
				labels: task.labels,
				dueDate: task.dueDate,
				assigneeEmail: null,
				createdAt: task.createdAt,
				completedAt: null,
				checklist: task.checklist.map(({ text, done }) => ({ text, done })),
				comments: comments[task.id] ?? []
			}))
		)
	};
}

describe('a TaskFlow export imported again', () => {
	it('keeps checklists, label colours and comments with the rest of the content', () => {
		const { doc, ctx, columnIds } = createBoard();
		setWipLimit(doc, { columnId: columnIds[1]!, wipLimit: 2 }, ctx);
		const release = createTask(
			doc,
			{
				columnId: columnIds[0]!,
				title: 'Release 2.0',
				description: 'Notes\nand more',
				priority: 'high',
				labels: ['docs', 'ops'],
				dueDate: '2026-04-01'
			},
			ctx
		);
		const tag = addChecklistItem(doc, { taskId: release, text: 'Tag the build' }, ctx);
		addChecklistItem(doc, { taskId: release, text: 'Write notes ✓' }, ctx);
		toggleChecklistItem(doc, { taskId: release, itemId: tag, done: true }, ctx);
		createTask(doc, { columnId: columnIds[1]!, title: 'No checklist', labels: ['ops'] }, ctx);
		setLabelColor(doc, { label: 'docs', color: 'teal' }, ctx);
		setLabelColor(doc, { label: 'ops', color: 'red' }, ctx);
		const view = readBoard(doc);
		const comments = {
			[release]: [
				{ author: 'Ana', createdAt: '2026-03-01T10:00:00.000Z', body: 'Ship it **now**' },
				{ author: null, createdAt: '2026-03-01T11:00:00.000Z', body: 'Done.' }
			]
		};

		const plan = planFromTaskflow(JSON.parse(JSON.stringify(exportOf(view, comments))));

		expect(plan.skipped).toEqual([]);
		expect(plan.labelColors).toEqual({ docs: 'teal', ops: 'red' });
		expect(plan.columns).toEqual(
			view.columns.map((column) => ({
				title: column.title,
				category: column.category,
				wipLimit: column.wipLimit,
				cards: column.tasks.map((task) => ({
					title: task.title,
					description: task.description,
					dueDate: task.dueDate,
					labels: task.labels,
					priority: task.priority,
					assignee: null,
					deleted: false,
					checklist: task.checklist.map(({ text, done }) => ({ text, done })),
					comments: (comments[task.id] ?? []).map((comment) => ({
						author: comment.author ?? 'Someone',
						date: comment.createdAt,
						text: comment.body
					}))
				}))
			}))
		);
		expect(plan.columns[0]!.cards[0]!.checklist).toEqual([
			{ text: 'Tag the build', done: true },
			{ text: 'Write notes ✓', done: false }
		]);
	});

	it('reads a file from before checklists, colours and comments were exported', () => {
		const { doc, ctx, columnIds } = createBoard();
		createTask(doc, { columnId: columnIds[0]!, title: 'Old card' }, ctx);
		const older = exportOf(readBoard(doc), {}) as Record<string, unknown>;
		delete older.labelColors;
		older.cards = (older.cards as Record<string, unknown>[]).map(
			({ checklist: _c, comments: _m, ...card }) => card
		);
		const plan = planFromTaskflow(older);
		expect(plan.skipped).toEqual([]);
		expect(plan.labelColors).toEqual({});
		expect(plan.columns[0]!.cards[0]).toMatchObject({ checklist: [], comments: [] });
	});
});
