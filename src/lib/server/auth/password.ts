import { Argon2id } from 'oslo/password';
import { commonPasswords } from './common-passwords.ts';

export const minPasswordLength = 8;
export const maxPasswordLength = 256;

/** Returns why a password is unacceptable, or null when it is fine. */
export function passwordProblem(password: string): string | null {
	if (password.length < minPasswordLength) {
		return `Use at least ${minPasswordLength} characters.`;
	}
	if (password.length > maxPasswordLength) {
		return `Use at most ${maxPasswordLength} characters.`;
	}
	if (commonPasswords.has(password.toLowerCase())) {
		return 'This password is too common; choose another.';
	}
	return null;
}

const argon2id = new Argon2id();

export function hashPassword(password: string): Promise<string> {
	return argon2id.hash(password);
}

export function verifyPassword(hash: string, password: string): Promise<boolean> {
	return argon2id.verify(hash, password);
}

/**
 * A real hash of a throwaway password, verified against when the email is unknown so that
 * "no such account" costs the same time as "wrong password".
 */
let decoy: Promise<string> | null = null;
export async function verifyDecoy(password: string): Promise<false> {
	decoy ??= hashPassword('decoy password that never matches');
	await argon2id.verify(await decoy, password);
	return false;
}
