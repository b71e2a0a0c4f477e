import { describe, expect, it } from 'vitest';
import { notificationText } from './text.ts';

const base = { actorName: 'Ana', taskTitle: 'Fix login', boardTitle: 'Web', title: null };

describe('notificationText', () => {
	it('names who did what to which card on which board', () => {
		expect(notificationText({ ...base, kind: 'assigned' })).toBe(
			'Ana assigned you to “Fix login” on Web'
		);
		expect(notificationText({ ...base, kind: 'unassigned' })).toBe(
			'Ana unassigned you from “Fix login” on Web'
		);
		expect(notificationText({ ...base, kind: 'completed' })).toBe(
			'Ana completed “Fix login” on Web (a card you created)'
		);
	});

	it('tells a mention', () => {
		expect(notificationText({ ...base, kind: 'mentioned' })).toBe(
			'Ana mentioned you on “Fix login” on Web'
		);
	});

	it('tells due dates without an actor', () => {
		expect(notificationText({ ...base, kind: 'due_soon' })).toBe('“Fix login” is due today on Web');
		expect(notificationText({ ...base, kind: 'overdue' })).toBe('“Fix login” is overdue on Web');
	});

	it('copes with missing names and titles', () => {
		expect(
			notificationText({
				kind: 'assigned',
				actorName: null,
				taskTitle: '',
				boardTitle: null,
				title: null
			})
		).toBe('Someone assigned you to “Untitled card”');
		expect(notificationText({ ...base, kind: 'system', title: 'Maintenance at 6' })).toBe(
			'Maintenance at 6'
		);
		expect(notificationText({ ...base, kind: 'system', title: '' })).toBe(
			'Message from an administrator'
		);
	});

	it('says why a webhook was switched off', () => {
		const hook = { ...base, kind: 'webhook_disabled' as const, url: 'https://example.com/h' };
		expect(notificationText(hook)).toBe(
			'A webhook on Web was switched off after failing for a day: https://example.com/h'
		);
		expect(notificationText({ ...hook, cause: 'access' })).toBe(
			'A webhook on Web was switched off because whoever registered it lost access: https://example.com/h'
		);
	});
});
