import { generateIdFromEntropySize, type Session } from 'lucia';
import type { Config } from '../config.ts';
import type { Queryable, Sql, Tx } from '../db/client.ts';
import { createUser, getUserByEmail, getUserById, type UserRow } from '../users.ts';
import type { CounterStore } from './counters.ts';
import type { AppLucia } from './lucia.ts';
import { createLucia } from './lucia.ts';
import { hashPassword, verifyDecoy, verifyPassword } from './password.ts';
import { PrincipalCache } from './principal-cache.ts';

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: UserRow['role'];
}

export type LoginResult =
	| { ok: true; user: UserRow; session: Session }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type AuthSettings = Pick<
	Config,
	'loginMaxPerAccount' | 'loginMaxPerIp' | 'loginWindowMs' | 'principalCacheMs'
> & {
	/** Called for each login refused by the throttle (the metrics count them). */
	onThrottled?: () => void;
	/** Records a sign-in as activity (`UserActivity.record`), awaited before login answers. */
	onSignedIn?: (userId: string) => Promise<void>;
};

/** Accounts, sessions and login throttling; callers never touch lucia or oslo directly. */
export class AuthService {
	readonly lucia: AppLucia;
	/** Principals recently read, for `resolvePrincipal`; revocations evict them. */
	readonly principals: PrincipalCache;
	private readonly sql: Sql;
	private readonly counters: CounterStore;
	private readonly limits: AuthSettings;

	constructor(sql: Sql, counters: CounterStore, limits: AuthSettings) {
		this.sql = sql;
		this.counters = counters;
		this.limits = limits;
		this.lucia = createLucia(sql);
		this.principals = new PrincipalCache({ ttlMs: limits.principalCacheMs });
	}

	/** Creates the account without signing it in; `created` runs in the account's transaction. */
	async createAccount(
		input: { name: string; email: string; password: string },
		created?: (tx: Tx, user: UserRow) => Promise<void>
	): Promise<UserRow> {
		// Hashed before the insert, so an address in use costs the same time as a free one.
		const passwordHash = await hashPassword(input.password);
		return createUser(
			this.sql,
			{ email: input.email, displayName: input.name, passwordHash },
			created
		);
	}

	/**
	 * Creates the account and signs it in. `created` runs in the account's transaction, with the
	 * id the session will have (chosen first, so the audit event can name it).
	 */
	async signup(
		input: { name: string; email: string; password: string },
		created?: (tx: Tx, user: UserRow, sessionId: string) => Promise<void>
	) {
		const sessionId = generateIdFromEntropySize(25);
		const user = await this.createAccount(
			input,
			created && ((tx, row) => created(tx, row, sessionId))
		);
		const session = await this.lucia.createSession(user.id, {}, { sessionId });
		return { user, session };
	}

	/**
	 * Each attempt first takes its place in both counters (an atomic increment), and only an
	 * attempt within both limits is checked against the password: checking first and counting
	 * after would let a burst of parallel guesses all pass the check before any was counted.
	 * A failure keeps its place; a success clears the account's count and gives back its place
	 * in the address's count.
	 */
	async login(input: { email: string; password: string; ip: string }): Promise<LoginResult> {
		const accountKey = `login:account:${input.email.trim().toLowerCase()}`;
		const ipKey = `login:ip:${input.ip}`;
		const [account, ip] = await Promise.all([
			this.counters.hit(accountKey, this.limits.loginWindowMs),
			this.counters.hit(ipKey, this.limits.loginWindowMs)
		]);
		const blocked = [
			account.count > this.limits.loginMaxPerAccount ? account.resetInMs : 0,
			ip.count > this.limits.loginMaxPerIp ? ip.resetInMs : 0
		];
		const waitMs = Math.max(...blocked);
		if (waitMs > 0) {
			this.limits.onThrottled?.();
			return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(waitMs / 1000) };
		}

		const user = await getUserByEmail(this.sql, input.email);
		const valid = user
			? await verifyPassword(user.password_hash, input.password)
			: await verifyDecoy(input.password);
		if (!user || !valid || user.disabled_at !== null) return { ok: false, reason: 'invalid' };
		await Promise.all([this.counters.clear(accountKey), this.counters.release(ipKey)]);
		// A fresh session id at every login, so a planted id is never promoted (session fixation).
		const session = await this.lucia.createSession(user.id, {});
		// Awaited here (a sign-in is rare and slow anyway), so it is recorded when login answers.
		await this.limits.onSignedIn?.(user.id);
		return { ok: true, user, session };
	}

	/** The session's user, or null when the session is unknown, expired, or its user disabled. */
	async validate(sessionId: string): Promise<{ session: Session; user: SessionUser } | null> {
		if (!/^[a-z0-9]{20,64}$/.test(sessionId)) return null;
		const { session, user } = await this.lucia.validateSession(sessionId);
		if (!session || !user) return null;
		if (user.disabledAt) {
			await this.lucia.invalidateUserSessions(user.id);
			return null;
		}
		return {
			session,
			user: { id: user.id, email: user.email, name: user.displayName, role: user.role }
		};
	}

	async logout(sessionId: string): Promise<void> {
		await this.lucia.invalidateSession(sessionId);
	}

	/** Signs the user out everywhere (after disabling them). */
	/**
	 * Ends every session of the user and says how many ended; inside `q` when given, so that an
	 * audited action commits the sign-out with its event.
	 */
	async endSessions(userId: string, q: Queryable = this.sql): Promise<number> {
		const ended = await q`delete from user_session where user_id = ${userId}`;
		return ended.count;
	}

	getUser(userId: string): Promise<UserRow | null> {
		return getUserById(this.sql, userId);
	}
}
