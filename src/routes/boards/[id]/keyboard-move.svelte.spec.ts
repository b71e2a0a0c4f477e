import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import { KeyboardMove } from './keyboard-move.svelte';

function column(id: string, count: number): ColumnView {
	const tasks = Array.from(
		{ length: count },
		(_, i) => ({ id: `${id}${i}`, title: `${id} ${i}` }) as unknown as TaskView
	);
	return { id, title: id, tasks, taskCount: count } as unknown as ColumnView;
}

const key = (name: string) => ({ key: name }) as KeyboardEvent;

describe('KeyboardMove', () => {
	const columns = [column('todo', 30), column('doing', 3), column('done', 0)];
	let said: string[];
	let dropped: { id: string; spot: unknown }[];
	let move: KeyboardMove;

	beforeEach(() => {
		// Refocusing reads the page's focus; the specs run without a page.
		vi.stubGlobal('document', { activeElement: null, querySelector: () => null });
		vi.stubGlobal('CSS', { escape: (text: string) => text });
		said = [];
		dropped = [];
		move = new KeyboardMove({
			columns: () => columns,
			dropCard: (id, spot) => (dropped.push({ id, spot }), true),
			dropColumn: (id, index) => (dropped.push({ id, spot: index }), true),
			announce: (text) => said.push(text),
			revealCard: async () => null
		});
	});
	afterEach(() => vi.unstubAllGlobals());

	const spot = () => (move.lifted?.kind === 'card' ? move.lifted.spot : null);

	it('moves a lifted card one place with the arrows, and says when it cannot go further', () => {
		expect(move.handleKey(key(' '), 'card', 'todo5')).toBe(true);
		move.handleKey(key('ArrowDown'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'todo', index: 6 });
		move.handleKey(key('ArrowRight'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'doing', index: 3 });
		move.handleKey(key('ArrowRight'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'done', index: 0 });
		move.handleKey(key('ArrowRight'), 'card', 'todo5');
		expect(said.at(-1)).toBe('todo 5 cannot move further that way.');
	});

	it('jumps a lifted card to the top or bottom with Home and End, ten places with Page keys', () => {
		move.handleKey(key(' '), 'card', 'todo5');
		expect(said[0]).toMatch(/Home and End: to the top or bottom/);
		move.handleKey(key('End'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'todo', index: 29 });
		move.handleKey(key('PageUp'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'todo', index: 19 });
		move.handleKey(key('Home'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'todo', index: 0 });
		move.handleKey(key('Home'), 'card', 'todo5');
		expect(said.at(-1)).toBe('todo 5 cannot move further that way.');
		move.handleKey(key('PageDown'), 'card', 'todo5');
		expect(spot()).toEqual({ columnId: 'todo', index: 10 });
		move.handleKey(key(' '), 'card', 'todo5');
		expect(dropped).toEqual([{ id: 'todo5', spot: { columnId: 'todo', index: 10 } }]);
	});

	it('moves a lifted column to the first or last place with Home and End', () => {
		move.handleKey(key('Enter'), 'column', 'doing');
		move.handleKey(key('End'), 'column', 'doing');
		expect(move.lifted).toMatchObject({ kind: 'column', index: 2 });
		move.handleKey(key('Home'), 'column', 'doing');
		expect(move.lifted).toMatchObject({ kind: 'column', index: 0 });
		move.handleKey(key('Escape'), 'column', 'doing');
		expect(move.lifted).toBeNull();
		expect(said.at(-1)).toBe('Move cancelled. doing is back where it was.');
	});
});
