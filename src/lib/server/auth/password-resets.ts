/**
 * One-time password reset links an admin hands to a locked-out user (no mail server is assumed).
 * Only the token's SHA-256 is stored; a link works once, until it expires, and a newer link for
 * the same user replaces the older ones.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, Tx } from '../db/client.ts';

/** Long enough to pass on by hand, short enough that a forgotten link soon stops working. */
export const passwordResetTtlMs = 60 * 60 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Shape of a token we issue; anything else is refused without a query. */
export const looksLikeResetToken = (token: string) => /^[\w-]{43}$/.test(token);

export async function createPasswordReset(
	tx: Tx,
	input: { userId: string; createdBy: string; now?: Date }
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date((input.now ?? new Date()).getTime() + passwordResetTtlMs);
	await revokePasswordResets(tx, input.userId);
	await tx`
		insert into password_resets (token_hash, user_id, created_by, expires_at)
		values (${hash(token)}, ${input.userId}, ${input.createdBy}, ${expiresAt})`;
	return { token, expiresAt };
}

/** Ends every reset link of the account: disabling it must not leave one to use after. */
export async function revokePasswordResets(tx: Tx, userId: string): Promise<void> {
	await tx`delete from password_resets where user_id = ${userId}`;
}

/** The account a live link resets, or null (unknown, used, expired, or the account disabled). */
export async function findPasswordReset(
	sql: Queryable,
	token: string
): Promise<{ userId: string; email: string } | null> {
	if (!looksLikeResetToken(token)) return null;
	const [row] = await sql<{ user_id: string; email: string }[]>`
		select r.user_id, u.email from password_resets r join users u on u.id = r.user_id
		where r.token_hash = ${hash(token)} and r.used_at is null and r.expires_at > now()
			and u.disabled_at is null`;
	return row ? { userId: row.user_id, email: row.email } : null;
}

/** Marks a live link used and returns its account; the update decides, so it succeeds once. */
export async function consumePasswordReset(tx: Tx, token: string): Promise<string | null> {
	if (!looksLikeResetToken(token)) return null;
	const [row] = await tx<{ user_id: string }[]>`
		update password_resets r set used_at = now()
		from users u
		where r.token_hash = ${hash(token)} and r.used_at is null and r.expires_at > now()
			and u.id = r.user_id and u.disabled_at is null
		returning r.user_id`;
	return row?.user_id ?? null;
}
