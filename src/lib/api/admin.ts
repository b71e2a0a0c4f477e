/**
 * Accounts and boards as the admin console's API answers them and its page shows them. Types
 * only: the server builds these (`$lib/server/admin/*`) and the browser reads them.
 */

/** One account as the admin console lists it. */
export interface AdminUserDto {
	id: string;
	name: string;
	email: string;
	role: 'user' | 'admin';
	status: 'active' | 'disabled';
	disabledAt: string | null;
	createdAt: string;
	/** The last sign-in or authenticated request (recorded at most every few minutes). */
	lastActiveAt: string | null;
	/** Boards the account is a member of, archived ones included. */
	boards: number;
}

/** One board as the admin console lists it. */
export interface AdminBoardDto {
	id: string;
	title: string;
	archivedAt: string | null;
	createdAt: string;
	owners: { id: string; name: string; email: string }[];
	members: number;
	/** Cards not deleted. */
	cards: number;
	/** The latest change to the board or one of its cards. */
	lastActivityAt: string;
}

/** A page of a listing; pass `nextCursor` back as `cursor` until it is null. */
export interface Page<T> {
	items: T[];
	nextCursor: string | null;
}

/** The answer to creating a password reset link: shown once. */
export interface PasswordResetLinkDto {
	url: string;
	expiresAt: string;
}
