import { describe, expect, it } from 'vitest';
import { groupActivity, type GroupableEvent } from './activity-bursts.ts';

let n = 0;
/** An event `secondsAgo` before a fixed moment; lists below are newest first. */
function event(
	actorId: string,
	secondsAgo: number,
	{ type = 'task.updated', card = 'c1', chars = 0 } = {}
): GroupableEvent {
	return {
		id: `e${++n}`,
		type,
		actorId,
		entityId: card,
		payload: { title: 'Card', changes: { description: { before: chars, after: chars + 1 } } },
		createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0) - secondsAgo * 1000).toISOString()
	};
}

describe('groupActivity', () => {
	it('makes two people typing alternately in one card two entries, one per person', () => {
		const events = Array.from({ length: 30 }, (_, i) =>
			event(i % 2 ? 'ana' : 'ben', i * 0.05, { chars: 29 - i })
		);
		const entries = groupActivity(events);
		expect(entries.map((e) => [e.event.actorId, e.ids.length])).toEqual([
			['ben', 15],
			['ana', 15]
		]);
		// Ben's first edit (oldest) was from 1 to 2 characters, his last from 29 to 30.
		expect(entries[0]!.event.payload.changes).toEqual({ description: { before: 1, after: 30 } });
		expect(entries[0]!.event.id).toBe(events[0]!.id);
	});

	it('keeps the exact events untouched', () => {
		const events = [event('ana', 0), event('ana', 1)];
		const copy = JSON.stringify(events);
		groupActivity(events);
		expect(JSON.stringify(events)).toBe(copy);
	});

	it('splits after a minute of quiet, on another card, and at another kind of change', () => {
		const entries = groupActivity([
			event('ana', 0),
			event('ana', 61),
			event('ana', 62, { card: 'c2' }),
			event('ana', 63, { type: 'task.moved' }),
			event('ana', 64),
			event('ana', 65)
		]);
		expect(entries.map((e) => e.ids.length)).toEqual([1, 1, 1, 1, 2]);
	});

	it('leaves events without an actor or card alone', () => {
		const anonymous = { ...event('x', 0), actorId: null };
		expect(groupActivity([anonymous, { ...anonymous, id: 'other' }])).toHaveLength(2);
	});
});
