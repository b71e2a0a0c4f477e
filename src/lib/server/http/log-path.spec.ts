import { describe, expect, it } from 'vitest';
import { loggablePath } from './log-path.ts';

describe('loggablePath', () => {
	it('hides a reset link’s token and leaves other paths as they are', () => {
		expect(loggablePath('/reset-password/abcDEF123_-xyz')).toBe('/reset-password/[token]');
		expect(loggablePath('/reset-password/abc/extra')).toBe('/reset-password/[token]/extra');
		expect(loggablePath('/boards/5f0c')).toBe('/boards/5f0c');
		expect(loggablePath('/api/v1/reset-password/x')).toBe('/api/v1/reset-password/x');
	});
});
