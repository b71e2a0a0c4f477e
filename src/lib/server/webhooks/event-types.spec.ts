import { describe, expect, it } from 'vitest';
import { isWebhookEventPattern, matchesEventPatterns } from './event-types.ts';

describe('webhook event patterns', () => {
	it('accepts groups and exact types of board content only', () => {
		for (const ok of ['task.*', 'column.*', 'comment.created', 'member.added', 'board.archived']) {
			expect(isWebhookEventPattern(ok), ok).toBe(true);
		}
		const bad = ['*', 'user.*', 'task', 'task.', 'task.**', 'Task.created', 'task.a-b', ''];
		// Well-formed but never recorded, or recorded outside board content.
		bad.push('task.nope', 'board.versioned', 'user.logged_in', 'system.broadcast');
		for (const pattern of bad) {
			expect(isWebhookEventPattern(pattern), pattern).toBe(false);
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
