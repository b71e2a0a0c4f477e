import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, initBoard, readBoard } from '$lib/domain/board';
import { BoardState } from './board-state.svelte';

/** A stored board with two cards in the first column and one in the second, as base64. */
function storedBoard(): { update: string; columnIds: string[] } {
	const doc = new Y.Doc();
	const ctx = { actorId: 'user-1' };
	initBoard(doc, { title: 'Board' }, ctx);
	const columnIds = readBoard(doc).columns.map((column) => column.id);
	for (const columnId of [columnIds[0], columnIds[0], columnIds[1]] as string[]) {
		createTask(doc, { columnId, title: 'Card' }, ctx);
	}
	return { update: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64'), columnIds };
}

function boardState(initialUpdate: string, canEdit = true): BoardState {
	return new BoardState({
		boardId: 'board-1',
		initialUpdate,
		me: { id: 'user-1', name: 'Ada', color: '#000', readOnly: !canEdit },
		memberIds: () => new Set(['user-1']),
		canEdit: () => canEdit,
		connect: false
	});
}

describe('BoardState.view', () => {
	it('shows the stored board and follows local edits, keeping untouched columns', () => {
		const { update, columnIds } = storedBoard();
		const state = boardState(update);
		const first = state.view;
		expect(first).toEqual(readBoard(state.doc));
		expect(state.view).toBe(first);
		const created = state.createTask({ columnId: columnIds[0] as string, title: 'New' });
		expect(created.ok).toBe(true);
		const next = state.view;
		expect(next).toEqual(readBoard(state.doc));
		expect(next.columns[0]!.tasks.at(-1)!.title).toBe('New');
		expect(next.columns[0]!.tasks[0]).toBe(first.columns[0]!.tasks[0]);
		expect(next.columns[1]).toBe(first.columns[1]);
		state.destroy();
	});

	it('follows changes that arrive from other clients', () => {
		const { update, columnIds } = storedBoard();
		const state = boardState(update);
		const first = state.view;
		const other = new Y.Doc();
		Y.applyUpdate(other, Buffer.from(update, 'base64'));
		other.on('update', (change: Uint8Array) => Y.applyUpdate(state.doc, change));
		createTask(other, { columnId: columnIds[1] as string, title: 'Remote' }, { actorId: 'u2' });
		expect(state.view).toEqual(readBoard(other));
		expect(state.view.columns[0]).toBe(first.columns[0]);
		state.destroy();
	});

	it('refuses edits when read-only and leaves the view as it was', () => {
		const { update, columnIds } = storedBoard();
		const state = boardState(update, false);
		const first = state.view;
		const outcome = state.createTask({ columnId: columnIds[0] as string, title: 'No' });
		expect(outcome).toMatchObject({ ok: false, error: { code: 'read_only' } });
		expect(state.view).toBe(first);
		state.destroy();
	});
});
