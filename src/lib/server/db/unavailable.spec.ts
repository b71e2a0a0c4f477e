import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './unavailable.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('isDatabaseUnavailable', () => {
	it('takes a connection that failed or went away for unavailability', () => {
		for (const code of ['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET']) {
			expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
		}
	});

	it('takes a server shutting down, starting up or full, and class 08, for unavailability', () => {
		for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001']) {
			expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
		}
	});

	it('leaves refusals of a statement and anything else alone', () => {
		for (const code of ['23505', '42P01', '40001', '57014', 'TRANSACTION_ROLLED_BACK', '0800']) {
			expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
		}
		expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
		expect(isDatabaseUnavailable('ECONNRESET')).toBe(false);
		expect(isDatabaseUnavailable({ code: 8006 })).toBe(false);
	});
});
