/**
 * Who may do what on a board. The HTTP endpoints, the pages and the collaboration server all
 * ask these functions, so a rule changes in one place.
 */
export type BoardRole = 'owner' | 'editor' | 'viewer';
export type UserRole = 'user' | 'admin';

export const boardRoles: readonly BoardRole[] = ['owner', 'editor', 'viewer'];

export interface Actor {
	id: string;
	role: UserRole;
}

/** The actor's membership of one board: `null` when they are not a member. */
export type Membership = BoardRole | null;

export function isAdmin(actor: Actor | null): boolean {
	return actor?.role === 'admin';
}

/** Admins run the workspace, so they may look at (and manage) any board, read-only for content. */
export function canReadBoard(actor: Actor | null, membership: Membership): boolean {
	return membership !== null || isAdmin(actor);
}

export function canEditBoard(_actor: Actor | null, membership: Membership): boolean {
	return membership === 'owner' || membership === 'editor';
}

/** Renaming, archiving and managing members are the owners' (and admins') business. */
export function canManageBoard(actor: Actor | null, membership: Membership): boolean {
	return membership === 'owner' || isAdmin(actor);
}

export function canManageMembers(actor: Actor | null, membership: Membership): boolean {
	return canManageBoard(actor, membership);
}

export function isBoardRole(value: unknown): value is BoardRole {
	return typeof value === 'string' && (boardRoles as readonly string[]).includes(value);
}
