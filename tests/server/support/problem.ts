import { expect } from 'vitest';
import type { ApiResponse } from './http.ts';

/** Every API error is RFC 9457 problem+json with at least type, title, status and detail. */
export function expectProblem(res: ApiResponse, status: number): void {
	expect(res.status, JSON.stringify(res.body)).toBe(status);
	expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json\b/);
	expect(res.body).toMatchObject({
		type: expect.any(String),
		title: expect.any(String),
		status,
		detail: expect.any(String)
	});
	expect(res.body.title).not.toBe('');
	expect(res.body.detail).not.toBe('');
}
