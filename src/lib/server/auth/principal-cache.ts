/**
 * Principals by credential for a short while, so most requests and socket handshakes skip the
 * database read of their session or token. Batched per event-loop turn, that read still cost
 * ~0.05 ms of app and PostgreSQL CPU a request, a quarter of what `/health` cost. Negative
 * answers are never kept: an unknown secret is read every time, and a credential that starts
 * working (a re-enabled account) works at once.
 *
 * A kept principal must not outlive its credential:
 * - every revocation reaches `forgetUser`/`forgetSession` on every instance, through the same
 *   cluster channel that closes the revoked caller's sockets (server/runtime.ts);
 * - a lookup that was reading while a revocation arrived does not keep its answer (the
 *   generation it started under has passed);
 * - while that channel is known to be losing messages (its Redis subscriber disconnected)
 *   nothing is kept, and what was kept is dropped;
 * - an entry lasts `ttlMs` at most, and never past its session's or token's expiry. That is
 *   also the bound when a message is lost unseen (a half-open Redis connection, a failed
 *   publish on the revoking instance).
 */
import { createHash } from 'node:crypto';
import type { Credential, Principal } from './principal.ts';

interface Entry {
	principal: Principal;
	until: number;
}

export interface PrincipalCacheOptions {
	/** How long an entry lasts; 0 keeps nothing. */
	ttlMs: number;
	/** Past this many entries the oldest goes first. */
	maxEntries?: number;
	now?: () => number;
}

export class PrincipalCache {
	readonly #ttlMs: number;
	readonly #maxEntries: number;
	readonly #now: () => number;
	readonly #entries = new Map<string, Entry>();
	/**
	 * Keys by session id (`token:<id>` for API tokens) and by user, for revocations. A session
	 * can have two keys: sent as a cookie and as a bearer secret.
	 */
	readonly #bySession = new Map<string, Set<string>>();
	readonly #byUser = new Map<string, Set<string>>();
	#generation = 0;
	#listening = true;

	constructor(options: PrincipalCacheOptions) {
		this.#ttlMs = options.ttlMs;
		this.#maxEntries = options.maxEntries ?? 10_000;
		this.#now = options.now ?? Date.now;
	}

	/** The key of a credential: a hash, so the process holds no list of live secrets. */
	keyOf({ secret, carrier }: Credential): string {
		return carrier + createHash('sha256').update(secret).digest('base64url');
	}

	get(key: string): Principal | null {
		const entry = this.#entries.get(key);
		if (!entry) return null;
		if (entry.until > this.#now()) return entry.principal;
		this.#delete(key);
		return null;
	}

	/** Taken before a lookup reads the database, and handed back to `set` with its answer. */
	get generation(): number {
		return this.#generation;
	}

	/** Keeps an answer read under `generation` unless a revocation arrived since. */
	set(key: string, principal: Principal, expiresAt: Date | null, generation: number): void {
		if (generation !== this.#generation || !this.#listening || this.#ttlMs <= 0) return;
		const now = this.#now();
		const until = Math.min(now + this.#ttlMs, expiresAt?.getTime() ?? Infinity);
		if (until <= now) return;
		this.#delete(key);
		if (this.#entries.size >= this.#maxEntries) {
			const oldest = this.#entries.keys().next().value;
			if (oldest !== undefined) this.#delete(oldest);
		}
		// Shared by every request it answers: frozen (resolvePrincipal freezes what it reads too),
		// so none can change another's principal.
		Object.freeze(principal.user);
		this.#entries.set(key, { principal: Object.freeze(principal), until });
		index(this.#bySession, principal.sessionId, key);
		index(this.#byUser, principal.user.id, key);
	}

	/** A user's account changed (disabled, role, password, sessions ended). */
	forgetUser(userId: string): void {
		this.#generation++;
		for (const key of [...(this.#byUser.get(userId) ?? [])]) this.#delete(key);
	}

	/** One session or token (`token:<id>`) ended. */
	forgetSession(sessionId: string): void {
		this.#generation++;
		for (const key of [...(this.#bySession.get(sessionId) ?? [])]) this.#delete(key);
	}

	/**
	 * Whether revocations from other instances are being heard. When not, everything kept is
	 * dropped and nothing new is kept until they are again.
	 */
	listening(on: boolean): void {
		this.#generation++;
		this.#listening = on;
		if (!on) this.clear();
	}

	clear(): void {
		this.#entries.clear();
		this.#bySession.clear();
		this.#byUser.clear();
	}

	get size(): number {
		return this.#entries.size;
	}

	#delete(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		this.#entries.delete(key);
		unindex(this.#bySession, entry.principal.sessionId, key);
		unindex(this.#byUser, entry.principal.user.id, key);
	}
}

function index(map: Map<string, Set<string>>, id: string, key: string): void {
	const keys = map.get(id);
	if (keys) keys.add(key);
	else map.set(id, new Set([key]));
}

function unindex(map: Map<string, Set<string>>, id: string, key: string): void {
	const keys = map.get(id);
	keys?.delete(key);
	if (keys?.size === 0) map.delete(id);
}
