import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './ids.ts';

const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const key = '0b8e7c1e-4f6a-4a8e-9a7b-1c2d3e4f5a6b';

describe('decodeCursor', () => {
	it('reads back the cursors we issue, with milliseconds or microseconds', () => {
		for (const createdAt of ['2026-12-04T20:31:00.123Z', '2026-12-04T20:31:00.123456Z']) {
			expect(decodeCursor(encodeCursor({ createdAt, key }))).toEqual({ createdAt, key });
		}
	});

	it('refuses times that Date.parse takes but PostgreSQL does not', () => {
		for (const createdAt of [
			'1',
			'2026',
			'Dec 4 2026',
			'2026-12-04 20:31:00',
			'2026-13-40T99:99:99Z'
		]) {
			expect(decodeCursor(raw([createdAt, key])), createdAt).toBeNull();
		}
	});
});
