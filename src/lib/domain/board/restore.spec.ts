import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createColumn } from './columns.ts';
import { setDescription } from './description.ts';
import { readBoard } from './read.ts';
import { restoreVersion, versionDoc } from './restore.ts';
import { createTask, deleteTask, moveTask, updateTask } from './tasks.ts';
import { readLabelColors, setLabelColor } from './label-colors.ts';
import { createBoard, testContext } from './testing.ts';

/** A replica of `doc` (another client's copy). */
function replica(doc: Y.Doc): Y.Doc {
	return versionDoc(Y.encodeStateAsUpdate(doc));
}

describe('restoreVersion', () => {
	it('brings cards and columns back to the version, soft-deleting what came after', () => {
		const ctx = testContext();
		const { doc } = createBoard(ctx);
		const [todo, doing] = readBoard(doc).columns.map((c) => c.id);
		const kept = createTask(doc, { columnId: todo!, title: 'kept', labels: ['a'] }, ctx);
		setDescription(doc, { taskId: kept, text: 'first words' }, ctx);
		const gone = createTask(doc, { columnId: todo!, title: 'deleted later' }, ctx);
		const version = Y.encodeStateAsUpdate(doc);
		const before = readBoard(doc);

		updateTask(doc, { taskId: kept, title: 'renamed', labels: ['b'], priority: 'urgent' }, ctx);
		setDescription(doc, { taskId: kept, text: 'other words' }, ctx);
		moveTask(doc, { taskId: kept, columnId: doing! }, ctx);
		deleteTask(doc, { taskId: gone }, ctx);
		createTask(doc, { columnId: todo!, title: 'new since' }, ctx);
		createColumn(doc, { title: 'New column' }, ctx);

		restoreVersion(doc, versionDoc(version), ctx);
		const after = readBoard(doc);
		expect(after.columns).toEqual(before.columns);
		expect(after.deletedTasks.map((t) => t.title)).toEqual(['new since']);
	});

	it('is an ordinary change: an edit made at the same time on another replica survives', () => {
		const ctx = testContext();
		const { doc } = createBoard(ctx);
		const column = readBoard(doc).columns[0]!.id;
		const card = createTask(doc, { columnId: column, title: 'card' }, ctx);
		setDescription(doc, { taskId: card, text: 'start end' }, ctx);
		const version = Y.encodeStateAsUpdate(doc);
		updateTask(doc, { taskId: card, title: 'changed' }, ctx);
		// The description differs from the version's, so the restore has to write it back, and
		// does so as a splice of the changed end: typing elsewhere at the same time survives (a
		// replaced text would drop it).
		setDescription(doc, { taskId: card, text: 'start end, appended later' }, ctx);

		const other = replica(doc);
		setDescription(other, { taskId: card, text: 'start middle end, appended later' }, ctx);
		restoreVersion(doc, versionDoc(version), ctx);
		expect(readBoard(doc).columns[0]!.tasks[0]!.description).toBe('start end');
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));

		expect(readBoard(doc)).toEqual(readBoard(other));
		const task = readBoard(doc).columns[0]!.tasks[0]!;
		expect(task.title).toBe('card');
		expect(task.description).toBe('start middle end');
	});

	it('writes nothing when the board already reads as the version', () => {
		const ctx = testContext();
		const { doc } = createBoard(ctx);
		createTask(doc, { columnId: readBoard(doc).columns[0]!.id, title: 'card' }, ctx);
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		restoreVersion(doc, versionDoc(Y.encodeStateAsUpdate(doc)), ctx);
		expect(updates).toHaveLength(0);
	});

	it('brings label colours back to the version: changed, added and removed ones', () => {
		const ctx = testContext();
		const { doc } = createBoard(ctx);
		setLabelColor(doc, { label: 'bug', color: 'red' }, ctx);
		setLabelColor(doc, { label: 'ux', color: 'blue' }, ctx);
		const version = Y.encodeStateAsUpdate(doc);

		setLabelColor(doc, { label: 'bug', color: 'green' }, ctx);
		setLabelColor(doc, { label: 'ux', color: null }, ctx);
		setLabelColor(doc, { label: 'new', color: 'pink' }, ctx);
		restoreVersion(doc, versionDoc(version), ctx);
		expect({ ...readLabelColors(doc) }).toEqual({ bug: 'red', ux: 'blue' });
	});
});
