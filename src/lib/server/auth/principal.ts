/**
 * The one place a secret becomes a principal, for HTTP requests (hooks) and websocket upgrades
 * (`server/extensions/Authorization.ts`) alike, so both surfaces admit exactly the same callers.
 */
import type { Sql } from '../db/client.ts';
import { readAcrossBlip } from '../db/unavailable.ts';
import { looksLikeApiToken, verifyApiToken, type TokenScope } from './api-tokens.ts';
import type { AuthService, SessionUser } from './service.ts';

/** Who is calling and what the credential allows. */
export interface Principal {
	user: SessionUser;
	/** The session id, or `token:<tokenId>` for a personal access token (revocation closes by it). */
	sessionId: string;
	/**
	 * Where the secret came from: the session cookie, a session id sent as a bearer secret (an
	 * `Authorization` header or the collaboration provider's `token`), or an API token.
	 */
	via: 'cookie' | 'bearer' | 'token';
	scope: TokenScope;
	canWrite: boolean;
	/**
	 * When the credential stops being valid as read (a session's may be extended later by its
	 * use; a token's is fixed); null for a token without expiry. Open websockets close then.
	 */
	expiresAt: Date | null;
}

export interface Credential {
	secret: string;
	/**
	 * A cookie only ever holds a session id (our login sets it); API tokens are accepted as bearer
	 * secrets only, so a token never gains cookie semantics.
	 */
	carrier: 'cookie' | 'bearer';
}

/**
 * Null when the secret is unknown, expired, revoked, or its user is disabled. Answers come from
 * `auth.principals` while it holds them (principal-cache.ts says how revocations reach it). The
 * read runs once more when a database blip ended its connection under it (`readAcrossBlip`),
 * for requests and websocket upgrades alike.
 */
export async function resolvePrincipal(
	services: { sql: Sql; auth: AuthService },
	credential: Credential
): Promise<Principal | null> {
	const cache = services.auth.principals;
	const key = cache.keyOf(credential);
	const kept = cache.get(key);
	if (kept) return kept;
	const generation = cache.generation;
	const found = await readAcrossBlip(() => readPrincipal(services, credential));
	if (!found) return null;
	// Frozen whether kept or not, so code that changed a principal would fail every time, not
	// only when its answer happened to be shared.
	Object.freeze(found.user);
	Object.freeze(found);
	cache.set(key, found, found.expiresAt, generation);
	return found;
}

async function readPrincipal(
	services: { sql: Sql; auth: AuthService },
	{ secret, carrier }: Credential
): Promise<Principal | null> {
	if (carrier === 'bearer' && looksLikeApiToken(secret)) {
		const token = await verifyApiToken(services.sql, secret);
		return (
			token && {
				user: token.user,
				sessionId: `token:${token.tokenId}`,
				via: 'token',
				scope: token.scope,
				canWrite: token.scope === 'read-write',
				expiresAt: token.expiresAt
			}
		);
	}
	const session = await services.auth.validate(secret);
	return (
		session && {
			user: session.user,
			sessionId: session.session.id,
			via: carrier,
			scope: 'read-write',
			canWrite: true,
			expiresAt: session.session.expiresAt
		}
	);
}
