import { describe, expect, it } from 'vitest';
import { isWebhookEventPattern, matchesEventPatterns } from './event-types.ts';

describe('webhook event patterns', () => {
	it('accepts groups and exact types of board content only', () => {
		for (const ok of ['task.*', 'column.*', 'comment.created', 'member.added', 'board.archived']) {
			expect(isWebhookEventPattern(ok), ok).toBe(true);
		}
		for (const bad of ['*', 'user.*', 'task', 'task.', 'task.**', 'Task.created', 'task.a-b', '']) {
			expect(isWebhookEventPattern(bad), bad).toBe(false);
		}
	});

	it('matches a group by its prefix and an exact type by equality', () => {
		expect(matchesEventPatterns(['task.*'], 'task.moved')).toBe(true);
		expect(matchesEventPatterns(['task.*'], 'tasks.moved')).toBe(false);
		expect(matchesEventPatterns(['column.created'], 'column.created')).toBe(true);
		expect(matchesEventPatterns(['column.created'], 'column.deleted')).toBe(false);
		expect(matchesEventPatterns([], 'task.created')).toBe(false);
	});
});
