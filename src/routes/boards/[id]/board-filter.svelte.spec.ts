import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColumnView, TaskView } from '$lib/domain/board';
import { BoardFilter } from './board-filter.svelte';

function column(id: string, titles: string[]): ColumnView {
	const tasks = titles.map(
		(title, i) =>
			({
				id: `${id}${i}`,
				title,
				description: '',
				labels: [],
				priority: 'medium',
				assigneeId: null,
				dueDate: null
			}) as unknown as TaskView
	);
	return {
		id,
		title: id,
		rank: 'a',
		category: 'todo',
		wipLimit: null,
		taskCount: tasks.length,
		tasks
	};
}

let url: URL;
let written: string[];
function make(start = 'https://x.test/boards/1?card=c1') {
	url = new URL(start);
	written = [];
	return new BoardFilter({
		me: () => 'me-id',
		now: () => new Date(2026, 11, 4, 12).getTime(),
		url: () => url,
		navigate: (next) => {
			written.push(next.search);
			url = next;
		},
		delay: 300
	});
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('BoardFilter', () => {
	it('starts from the URL, so a shared or reloaded link filters alike', () => {
		const filter = make('https://x.test/boards/1?q=red&assignee=me');
		expect(filter.value).toMatchObject({ q: 'red', assignee: 'me' });
		expect(filter.active).toBe(true);
		const [shown] = filter.apply([column('A', ['Red', 'Blue'])]);
		expect(shown!.tasks.map((t) => t.title)).toEqual([]);
		filter.set({ assignee: '' });
		expect(filter.apply([column('A', ['Red', 'Blue'])])[0]!.tasks.map((t) => t.title)).toEqual([
			'Red'
		]);
	});

	it('writes typed text to the URL once typing pauses, one write for a burst', () => {
		const filter = make();
		filter.set({ q: 'r' });
		filter.set({ q: 're' });
		filter.set({ q: 'red' });
		expect(written).toEqual([]);
		expect(filter.terms).toEqual(['red']);
		vi.advanceTimersByTime(300);
		expect(written).toEqual(['?card=c1&q=red']);
	});

	it('writes a chosen option at once, and a clear removes every filter parameter', () => {
		const filter = make('https://x.test/boards/1?card=c1&q=red');
		filter.set({ priority: 'high' });
		expect(written).toEqual(['?card=c1&q=red&priority=high']);
		filter.clear();
		expect(written.at(-1)).toBe('?card=c1');
		expect(filter.active).toBe(false);
		expect(filter.test).toBeNull();
	});

	it('follows a URL it did not write, and ignores the ones it did', () => {
		const filter = make();
		filter.set({ label: 'ui' });
		filter.follow(url);
		expect(filter.value.label).toBe('ui');
		filter.set({ q: 'pending' });
		filter.follow(new URL('https://x.test/boards/1?due=today'));
		expect(filter.value).toMatchObject({ q: '', label: '', due: 'today' });
		// The pending text write was dropped: the link wins.
		vi.advanceTimersByTime(1000);
		expect(written).toEqual(['?card=c1&label=ui']);
	});

	it('stops a pending write when destroyed', () => {
		const filter = make();
		filter.set({ q: 'x' });
		filter.destroy();
		vi.advanceTimersByTime(1000);
		expect(written).toEqual([]);
	});
});
