import { describe, expect, it } from 'vitest';
import {
	boardRoles,
	canEditBoard,
	canManageBoard,
	canManageMembers,
	canReadBoard,
	isAdmin,
	isBoardRole,
	type Actor,
	type Membership
} from './policy.ts';

const user: Actor = { id: 'u1', role: 'user' };
const admin: Actor = { id: 'a1', role: 'admin' };

type Row = [
	actor: 'anonymous' | 'user' | 'admin',
	membership: Membership,
	read: boolean,
	edit: boolean,
	manage: boolean
];

/** Every combination of account role and board membership, with the expected answers. */
const matrix: Row[] = [
	['anonymous', null, false, false, false],
	['anonymous', 'viewer', true, false, false],
	['anonymous', 'editor', true, true, false],
	['anonymous', 'owner', true, true, true],
	['user', null, false, false, false],
	['user', 'viewer', true, false, false],
	['user', 'editor', true, true, false],
	['user', 'owner', true, true, true],
	// Admins may read and manage any board, but only members edit its content.
	['admin', null, true, false, true],
	['admin', 'viewer', true, false, true],
	['admin', 'editor', true, true, true],
	['admin', 'owner', true, true, true]
];

const actors = { anonymous: null, user, admin } as const;

describe('board policy', () => {
	it('covers every role and membership', () => {
		expect(matrix).toHaveLength(3 * (boardRoles.length + 1));
	});

	it.each(matrix)(
		'%s with membership %s: read=%s edit=%s manage=%s',
		(who, membership, read, edit, manage) => {
			const actor = actors[who];
			expect(canReadBoard(actor, membership)).toBe(read);
			expect(canEditBoard(actor, membership)).toBe(edit);
			expect(canManageBoard(actor, membership)).toBe(manage);
			expect(canManageMembers(actor, membership)).toBe(manage);
		}
	);

	it('editing implies reading, and managing implies reading', () => {
		for (const [who, membership] of matrix) {
			const actor = actors[who];
			if (canEditBoard(actor, membership)) expect(canReadBoard(actor, membership)).toBe(true);
			if (canManageBoard(actor, membership)) expect(canReadBoard(actor, membership)).toBe(true);
		}
	});
});

describe('isAdmin', () => {
	it('is true for admins only', () => {
		expect(isAdmin(admin)).toBe(true);
		expect(isAdmin(user)).toBe(false);
		expect(isAdmin(null)).toBe(false);
	});
});

describe('isBoardRole', () => {
	it.each(['owner', 'editor', 'viewer'])('accepts %s', (role) => {
		expect(isBoardRole(role)).toBe(true);
	});

	it.each(['admin', 'Owner', '', null, undefined, 1, {}])('rejects %j', (value) => {
		expect(isBoardRole(value)).toBe(false);
	});
});
