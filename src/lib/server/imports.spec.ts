import { describe, expect, it } from 'vitest';
import { maxCommentLength } from '../api/comments.ts';
import { quotedComment } from './imports.ts';

describe('quotedComment', () => {
	it('cuts at the comment limit without splitting an emoji', () => {
		const head = quotedComment({ author: 'Ana', date: null, text: '' });
		// The cut falls between the two halves of the last emoji.
		const text = 'x'.repeat(maxCommentLength - head.length - 1) + '😀😀';
		const quoted = quotedComment({ author: 'Ana', date: null, text });
		expect(quoted.isWellFormed()).toBe(true);
		expect(quoted.length).toBe(maxCommentLength - 1);
		expect(quoted.endsWith('x')).toBe(true);
	});
});
