import { describe, expect, it } from 'vitest';
import { bearerMatches } from './metrics-endpoint.ts';

describe('bearerMatches', () => {
	const token = 'a-scrape-token-of-32-characters!';

	it('accepts exactly the configured bearer token', () => {
		expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
		expect(bearerMatches(`bearer  ${token} `, token)).toBe(true);
	});

	it('refuses anything else', () => {
		for (const header of [
			undefined,
			'',
			token,
			`Basic ${token}`,
			`Bearer ${token}x`,
			`Bearer ${token.slice(1)}`,
			`Bearer ${token} extra`,
			'Bearer '
		]) {
			expect(bearerMatches(header, token), String(header)).toBe(false);
		}
	});
});
