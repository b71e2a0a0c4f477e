import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeletedCard } from '$lib/collab/board-undo.svelte';
import type { Outcome } from '$lib/collab/board-state.svelte';
import { UndoToast } from './undo-toast.svelte';

const deleted = { taskId: 't1', title: 'Order badges', step: {} } as DeletedCard;

describe('UndoToast', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function toast(outcome: Outcome = { ok: true, value: undefined }) {
		const undone: DeletedCard[] = [];
		const state = new UndoToast({
			undo: (card) => {
				undone.push(card);
				return outcome;
			}
		});
		return { state, undone };
	}

	it('goes away by itself after eight seconds', () => {
		const { state } = toast();
		state.show(deleted);
		vi.advanceTimersByTime(7900);
		expect(state.current).toBe(deleted);
		vi.advanceTimersByTime(200);
		expect(state.current).toBeNull();
	});

	it('stays while focused or hovered, and counts again from when both have left', () => {
		const { state } = toast();
		state.show(deleted);
		state.hold('focus', true);
		vi.advanceTimersByTime(20_000);
		expect(state.current).toBe(deleted);
		state.hold('pointer', true);
		state.hold('focus', false);
		vi.advanceTimersByTime(20_000);
		expect(state.current).toBe(deleted);
		state.hold('pointer', false);
		vi.advanceTimersByTime(7900);
		expect(state.current).toBe(deleted);
		vi.advanceTimersByTime(200);
		expect(state.current).toBeNull();
	});

	it('undoes that delete and closes; a refusal stays on the toast', () => {
		const { state, undone } = toast();
		state.show(deleted);
		state.undo();
		expect(undone).toEqual([deleted]);
		expect(state.current).toBeNull();

		const refused = toast({
			ok: false,
			error: {
				code: 'read_only',
				message: 'You can view this board but not change it.',
				field: null
			}
		});
		refused.state.show(deleted);
		refused.state.undo();
		expect(refused.state.current).toBe(deleted);
		expect(refused.state.error).toMatch(/view this board/);
	});

	it('a newer delete replaces the toast and restarts its time', () => {
		const { state } = toast();
		state.show(deleted);
		vi.advanceTimersByTime(6000);
		const second = { ...deleted, taskId: 't2' };
		state.show(second);
		vi.advanceTimersByTime(6000);
		expect(state.current).toBe(second);
	});
});
