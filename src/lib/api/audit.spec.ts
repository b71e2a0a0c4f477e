import { describe, expect, it } from 'vitest';
import { auditQuery } from './audit.ts';

const none = { actor: '', type: '', boardId: '', from: '', to: '' };

describe('auditQuery', () => {
	it('leaves out empty filters', () => {
		expect(auditQuery(none)).toBe('');
		expect(auditQuery({ ...none, actor: '  ' })).toBe('');
	});

	it('encodes and trims the filters, then the cursor', () => {
		expect(auditQuery({ ...none, actor: ' a+b@example.com ', from: '2026-01-02' }, 'c1')).toBe(
			'?actor=a%2Bb%40example.com&from=2026-01-02&cursor=c1'
		);
	});
});
