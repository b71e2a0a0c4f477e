/**
 * Personal access tokens (`tf_…`): created for a signed-in user, shown once, stored as a hash,
 * scoped `read` or `read-write`, revocable, optionally expiring.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterCursor, cursorTime, pageOf } from '../admin/paging.ts';
import { defaultPageSize, type ListPageQuery } from '../api/schemas.ts';
import type { Queryable, Sql } from '../db/client.ts';
import { batchPerClient } from '../db/turn-batch.ts';
import type { SessionUser } from './service.ts';

export type TokenScope = 'read' | 'read-write';
export const tokenScopes: readonly TokenScope[] = ['read', 'read-write'];
export const tokenPrefix = 'tf_';

export interface ApiTokenDto {
	id: string;
	name: string;
	scope: TokenScope;
	lastUsedAt: string | null;
	expiresAt: string | null;
	revokedAt: string | null;
	createdAt: string;
}

interface TokenRow {
	id: string;
	name: string;
	scope: TokenScope;
	last_used_at: Date | null;
	expires_at: Date | null;
	revoked_at: Date | null;
	created_at: Date;
}

function toDto(row: TokenRow): ApiTokenDto {
	return {
		id: row.id,
		name: row.name,
		scope: row.scope,
		lastUsedAt: row.last_used_at?.toISOString() ?? null,
		expiresAt: row.expires_at?.toISOString() ?? null,
		revokedAt: row.revoked_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString()
	};
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function looksLikeApiToken(value: string): boolean {
	return value.startsWith(tokenPrefix);
}

export async function createApiToken(
	sql: Queryable,
	input: { userId: string; name: string; scope: TokenScope; expiresAt: Date | null }
): Promise<{ token: ApiTokenDto; secret: string }> {
	const secret = tokenPrefix + randomBytes(32).toString('base64url');
	const [row] = await sql<TokenRow[]>`
		insert into api_tokens (user_id, name, token_hash, scope, expires_at)
		values (${input.userId}, ${input.name}, ${hash(secret)}, ${input.scope}, ${input.expiresAt})
		returning id, name, scope, last_used_at, expires_at, revoked_at, created_at`;
	return { token: toDto(row!), secret };
}

export async function listApiTokens(sql: Sql, userId: string): Promise<ApiTokenDto[]> {
	const rows = await sql<TokenRow[]>`
		select id, name, scope, last_used_at, expires_at, revoked_at, created_at
		from api_tokens where user_id = ${userId} order by created_at desc, id`;
	return rows.map(toDto);
}

/** One page of the user's tokens for the API, newest first (keyset on (created_at, id)). */
export async function listApiTokenPage(
	sql: Sql,
	userId: string,
	query: ListPageQuery
): Promise<{ items: ApiTokenDto[]; nextCursor: string | null }> {
	const limit = query.limit ?? defaultPageSize;
	const rows = await sql<(TokenRow & { cursor_time: string })[]>`
		select id, name, scope, last_used_at, expires_at, revoked_at, created_at,
			${cursorTime(sql, 'created_at')} as cursor_time
		from api_tokens
		where user_id = ${userId} and ${afterCursor(sql, 'api_tokens', query.cursor)}
		order by created_at desc, id desc
		limit ${limit + 1}`;
	return pageOf(rows, limit, toDto);
}

/** Revokes one of the user's own tokens; false when there is no such live token. */
export async function revokeApiToken(
	sql: Queryable,
	userId: string,
	tokenId: string
): Promise<boolean> {
	const rows = await sql`
		update api_tokens set revoked_at = now()
		where id = ${tokenId} and user_id = ${userId} and revoked_at is null`;
	return rows.count > 0;
}

/** Revokes every live token of the user (when the account is disabled). */
export async function revokeUserTokens(sql: Queryable, userId: string): Promise<number> {
	const rows = await sql`
		update api_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`;
	return rows.count;
}

export interface TokenPrincipal {
	user: SessionUser;
	tokenId: string;
	scope: TokenScope;
	expiresAt: Date | null;
}

interface TokenRow {
	token_hash: string;
	token_id: string;
	scope: TokenScope;
	last_used_at: Date | null;
	expires_at: Date | null;
	id: string;
	email: string;
	display_name: string;
	role: SessionUser['role'];
}

/** A failed last-used write is forgotten: the next request a minute later writes it again. */
const ignoreFailure = () => {};

/**
 * Live tokens by hash, the lookups of one event-loop turn in one query (`TurnBatch`): every API
 * request verifies its token, and a busy client sends many a turn. Each lookup's query starts
 * after its request arrived, so a revocation committed before a request is always seen.
 */
const tokenBatch = batchPerClient(async (sql: Sql, hashes: string[]) => {
	const rows = await sql<TokenRow[]>`
			select t.token_hash, t.id as token_id, t.scope, t.last_used_at, t.expires_at,
				u.id, u.email, u.display_name, u.role
			from api_tokens t join users u on u.id = t.user_id
			where t.token_hash = any(${hashes}::text[])
				and t.revoked_at is null
				and (t.expires_at is null or t.expires_at > now())
				and u.disabled_at is null`;
	// Last-used is informational; writing it at most once a minute keeps reads read-only.
	// Not awaited: the lookup of every request in the batch must neither wait on a row lock
	// (a revocation or a disabled account holds one) nor fail with this write.
	const stale = rows
		.filter((row) => !row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
		.map((row) => row.token_id);
	if (stale.length > 0) {
		sql`update api_tokens set last_used_at = now() where id = any(${stale}::uuid[])`.catch(
			ignoreFailure
		);
	}
	return new Map(rows.map((row) => [row.token_hash, row]));
});

/** The token's user and scope, or null when unknown, revoked, expired, or its user disabled. */
export async function verifyApiToken(sql: Sql, secret: string): Promise<TokenPrincipal | null> {
	if (!looksLikeApiToken(secret) || secret.length > 100) return null;
	const row = await tokenBatch(sql).get(hash(secret));
	if (!row) return null;
	return {
		user: { id: row.id, email: row.email, name: row.display_name, role: row.role },
		tokenId: row.token_id,
		scope: row.scope,
		expiresAt: row.expires_at
	};
}
