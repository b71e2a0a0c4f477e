import { afterEach, describe, expect, it, vi } from 'vitest';
import { isDatabaseUnavailable, readAcrossBlip } from './unavailable.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });
/** An error the server sent (postgres.js names them so). */
const fromServer = (code: string) => Object.assign(withCode(code), { name: 'PostgresError' });

describe('isDatabaseUnavailable', () => {
	it('takes a connection that failed, ended or never opened for unavailability', () => {
		for (const code of [
			'CONNECTION_CLOSED',
			'CONNECT_TIMEOUT',
			'ECONNREFUSED',
			'ECONNRESET',
			'ENOTFOUND',
			'EAI_AGAIN'
		]) {
			expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
		}
	});

	it('takes a server shutting down, starting up or full, and class 08, for unavailability', () => {
		for (const code of ['57P01', '57P02', '57P03', '53300', '08006', '08001']) {
			expect(isDatabaseUnavailable(fromServer(code)), code).toBe(true);
		}
	});

	it('reads SQLSTATEs only from the server', () => {
		expect(isDatabaseUnavailable(withCode('57P01'))).toBe(false);
		expect(isDatabaseUnavailable(withCode('08006'))).toBe(false);
	});

	it('leaves refusals of a statement and anything else alone', () => {
		for (const code of ['23505', '42P01', '40001', '57014', '0800']) {
			expect(isDatabaseUnavailable(fromServer(code)), code).toBe(false);
		}
		expect(isDatabaseUnavailable(withCode('TRANSACTION_ROLLED_BACK'))).toBe(false);
		expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
		expect(isDatabaseUnavailable('ECONNRESET')).toBe(false);
		expect(isDatabaseUnavailable({ code: 8006 })).toBe(false);
	});
});

describe('readAcrossBlip', () => {
	afterEach(() => void vi.useRealTimers());

	/** A read that fails with `first`, then answers. */
	function flaky(first: Error) {
		const read = vi.fn(async () => {
			if (read.mock.calls.length === 1) throw first;
			return 'rows';
		});
		return read;
	}

	it('runs a read once more when its connection died under it', async () => {
		for (const error of [
			fromServer('57P01'),
			withCode('CONNECTION_CLOSED'),
			withCode('ECONNRESET')
		]) {
			const read = flaky(error);
			expect(await readAcrossBlip(read)).toBe('rows');
			expect(read).toHaveBeenCalledTimes(2);
		}
	});

	it('does not repeat a read the server refused, nor one it never took', async () => {
		for (const error of [
			fromServer('23505'),
			fromServer('53300'),
			fromServer('57P03'),
			withCode('ECONNREFUSED'),
			withCode('CONNECT_TIMEOUT'),
			withCode('CONNECTION_ENDED')
		]) {
			const read = flaky(error);
			await expect(readAcrossBlip(read)).rejects.toBe(error);
			expect(read).toHaveBeenCalledTimes(1);
		}
	});

	it('does not repeat a read whose first try took more than a second', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
		const error = fromServer('57P01');
		const read = vi.fn(async () => {
			if (read.mock.calls.length === 1) {
				await new Promise((resolve) => setTimeout(resolve, 1500));
				throw error;
			}
			return 'rows';
		});
		const outcome = readAcrossBlip(read);
		const caught = expect(outcome).rejects.toBe(error);
		await vi.advanceTimersByTimeAsync(1500);
		await caught;
		expect(read).toHaveBeenCalledTimes(1);
	});
});
