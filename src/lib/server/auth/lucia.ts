import { PostgresJsAdapter } from '@lucia-auth/adapter-postgresql';
import { Lucia, TimeSpan } from 'lucia';
import type { Sql } from '../db/client.ts';
import type { UserRow } from '../users.ts';

export function createLucia(sql: Sql) {
	// The adapter only issues tagged-template queries, which our client supports as is.
	const adapter = new PostgresJsAdapter(sql as never, { user: 'users', session: 'user_session' });
	return new Lucia(adapter, {
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
