import { describe, expect, it } from 'vitest';
import type { EventDto } from '$lib/api/events';
import { ActivityFeed } from './activity-feed.svelte';

function update(id: string, actorId: string, secondsAgo: number): EventDto {
	return {
		id,
		type: 'task.updated',
		actorId,
		actorName: actorId,
		entityId: 'card',
		entityType: 'task',
		boardId: 'board',
		payload: { title: 'Card', changes: { description: { before: { chars: 0 }, after: {} } } },
		metadata: null,
		correlationId: id,
		createdAt: new Date(Date.UTC(2026, 0, 1) - secondsAgo * 1000).toISOString()
	};
}

describe('ActivityFeed.entries', () => {
	it('shows the loaded events grouped per person and card, and follows new pages', () => {
		const feed = new ActivityFeed('/api/v1/boards/board/events');
		feed.items = [update('3', 'ana', 0), update('2', 'ben', 1), update('1', 'ana', 2)];
		expect(feed.entries.map((entry) => [entry.event.actorId, entry.ids])).toEqual([
			['ana', ['3', '1']],
			['ben', ['2']]
		]);
		feed.items = [update('4', 'ben', 0), ...feed.items];
		expect(feed.entries.map((entry) => entry.ids)).toEqual([
			['4', '2'],
			['3', '1']
		]);
	});
});
