import type { UserRole } from '../domain/policy.ts';
import { transaction, type Queryable, type Tx } from './db/client.ts';

export type { UserRole };

/** A `users` row as stored (snake_case, as lucia's adapter reads it). */
export interface UserRow {
	id: string;
	email: string;
	password_hash: string;
	role: UserRole;
	display_name: string;
	profile: Record<string, unknown>;
	disabled_at: Date | null;
	created_at: Date;
	updated_at: Date;
}

/** The public shape of a user in the API. */
export interface UserDto {
	id: string;
	email: string;
	name: string;
	role: UserRole;
	disabledAt: string | null;
	createdAt: string;
}

export function toUserDto(row: UserRow): UserDto {
	return {
		id: row.id,
		email: row.email,
		name: row.display_name,
		role: row.role,
		disabledAt: row.disabled_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString()
	};
}

export class EmailTakenError extends Error {
	/**
	 * AuthService throws this from the copy of this module that server/ loads, while routes
	 * import the built bundle's copy: match by name so `instanceof` holds across both.
	 */
	static [Symbol.hasInstance](value: unknown): value is EmailTakenError {
		return value instanceof Error && value.name === 'EmailTakenError';
	}

	constructor() {
		super('An account with this email already exists.');
		this.name = 'EmailTakenError';
	}
}

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

/** Creates an account; the very first account of an installation becomes its admin. */
export async function createUser(
	sql: Queryable,
	input: { email: string; passwordHash: string; displayName: string },
	/** Runs in the same transaction once the row exists (its audit event). */
	created?: (tx: Tx, row: UserRow) => Promise<void>
): Promise<UserRow> {
	try {
		return await transaction(sql, async (tx) => {
			// Serialises concurrent first sign-ups so exactly one becomes admin.
			await tx`lock table users in share row exclusive mode`;
			const [row] = await tx<UserRow[]>`
				insert into users (email, password_hash, display_name, role)
				values (
					${normalizeEmail(input.email)}, ${input.passwordHash}, ${input.displayName},
					case when exists (select 1 from users) then 'user' else 'admin' end
				)
				returning *`;
			await created?.(tx, row!);
			return row!;
		});
	} catch (error) {
		if (isUniqueViolation(error)) throw new EmailTakenError();
		throw error;
	}
}

export async function getUserByEmail(sql: Queryable, email: string): Promise<UserRow | null> {
	const [row] = await sql<UserRow[]>`
		select * from users where lower(email) = ${normalizeEmail(email)}`;
	return row ?? null;
}

export async function getUserById(sql: Queryable, id: string): Promise<UserRow | null> {
	const [row] = await sql<UserRow[]>`select * from users where id = ${id}`;
	return row ?? null;
}

export async function setUserDisabled(
	sql: Queryable,
	id: string,
	disabled: boolean
): Promise<UserRow | null> {
	const [row] = await sql<UserRow[]>`
		update users
		set disabled_at = ${disabled ? sql`now()` : null}, updated_at = now()
		where id = ${id}
		returning *`;
	return row ?? null;
}

export async function setUserRole(
	sql: Queryable,
	id: string,
	role: UserRole
): Promise<UserRow | null> {
	const [row] = await sql<UserRow[]>`
		update users set role = ${role}, updated_at = now() where id = ${id} returning *`;
	return row ?? null;
}

export function isUniqueViolation(error: unknown): boolean {
	return (
		typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505'
	);
}
