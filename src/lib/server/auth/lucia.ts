import { PostgresJsAdapter } from '@lucia-auth/adapter-postgresql';
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Sql } from '../db/client.ts';
import { TurnBatch } from '../db/turn-batch.ts';
import type { UserRow } from '../users.ts';

/**
 * lucia's PostgreSQL adapter reads a session and its user with two queries per validation;
 * every request and every websocket connection validates one, so this reads both in one join,
 * and the validations of one turn of the event loop in one query (a reconnect storm of a
 * thousand sockets was two thousand queries, then a thousand, now about 280: handshakes finish
 * a few to a turn). Same rows, same shapes.
 */
class SessionAdapter extends PostgresJsAdapter {
	readonly #sessions: TurnBatch<string, SessionRow>;

	constructor(sql: Sql) {
		// The adapter writes sessions with `sql.unsafe(text, values)`: its dates go to the
		// `timestamptz` column `expires_at`, which postgres.js 4 types from the column, as 3 did.
		super(sql as never, { user: 'users', session: 'user_session' });
		this.#sessions = new TurnBatch(async (ids) => {
			const rows = await sql<(SessionRow & { session_id: string })[]>`
				select s.id as session_id, s.expires_at as session_expires_at, u.*
				from user_session s join users u on u.id = s.user_id
				where s.id = any(${ids}::text[])`;
			return new Map(rows.map(({ session_id, ...row }) => [session_id, row]));
		});
	}

	override async getSessionAndUser(
		sessionId: string
	): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
		const row = await this.#sessions.get(sessionId);
		if (!row) return [null, null];
		const { session_expires_at: expiresAt, id, ...attributes } = row;
		return [
			{ id: sessionId, userId: id, expiresAt: new Date(expiresAt), attributes: {} },
			{ id, attributes }
		];
	}
}

type SessionRow = UserRow & { session_expires_at: Date };

export function createLucia(sql: Sql) {
	return new Lucia(new SessionAdapter(sql), {
		sessionExpiresIn: new TimeSpan(30, 'd'),
		getUserAttributes: (row) => ({
			email: row.email,
			role: row.role,
			displayName: row.display_name,
			disabledAt: row.disabled_at
		})
	});
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
	interface Register {
		Lucia: AppLucia;
		DatabaseUserAttributes: Omit<UserRow, 'id'>;
	}
}
