import { describe, expect, it } from 'vitest';
import {
	hashPassword,
	maxPasswordLength,
	minPasswordLength,
	passwordProblem,
	verifyPassword
} from './password.ts';

describe('passwordProblem', () => {
	it('has the documented bounds', () => {
		expect(minPasswordLength).toBe(8);
		expect(maxPasswordLength).toBe(256);
	});

	it('refuses passwords shorter than the minimum', () => {
		expect(passwordProblem('')).toBe('Use at least 8 characters.');
		expect(passwordProblem('x7#kQ2m')).toBe('Use at least 8 characters.');
	});

	it('accepts exactly the minimum and exactly the maximum length', () => {
		expect(passwordProblem('x7#kQ2mZ')).toBeNull();
		expect(passwordProblem('z'.repeat(maxPasswordLength))).toBeNull();
	});

	it('refuses passwords longer than the maximum', () => {
		expect(passwordProblem('z'.repeat(maxPasswordLength + 1))).toBe('Use at most 256 characters.');
	});

	it.each(['password', 'PASSWORD', 'Password1', 'iloveyou', 'ILoveYou', '12345678', 'QwErTy123'])(
		'refuses the common password %j regardless of case',
		(password) => {
			expect(passwordProblem(password)).toBe('This password is too common; choose another.');
		}
	);

	it('accepts an ordinary passphrase', () => {
		expect(passwordProblem('a long enough passphrase')).toBeNull();
		expect(passwordProblem('correct horse battery staple')).toBeNull();
	});

	it('does not trim: spaces count as characters', () => {
		expect(passwordProblem('  ab  cd  ')).toBeNull();
	});
});

describe('hashPassword / verifyPassword', () => {
	it('round-trips with Argon2id and refuses a wrong password', async () => {
		const hash = await hashPassword('a long enough passphrase');
		expect(hash).toMatch(/^\$argon2id\$/);
		expect(hash).not.toContain('a long enough passphrase');
		expect(await verifyPassword(hash, 'a long enough passphrase')).toBe(true);
		expect(await verifyPassword(hash, 'a long enough passphrasE')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});
});
