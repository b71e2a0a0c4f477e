/**
 * Membership changes as the pages and the API both perform them: the row change plus cutting
 * live connections that the change makes stale.
 */
import type { BoardRole } from '../domain/policy.ts';
import type { AppContext } from './context.ts';
import { addMember, changeMemberRole, removeMember, type MemberDto } from './members.ts';
import { getUserByEmail } from './users.ts';

export class InviteeNotFoundError extends Error {
	constructor() {
		super('No active account uses this email. Ask them to sign up first.');
		this.name = 'InviteeNotFoundError';
	}
}

export async function inviteByEmail(
	ctx: AppContext,
	input: { boardId: string; email: string; role: BoardRole }
): Promise<MemberDto> {
	const invitee = await getUserByEmail(ctx.sql, input.email);
	if (!invitee || invitee.disabled_at) throw new InviteeNotFoundError();
	return addMember(ctx.sql, { boardId: input.boardId, userId: invitee.id, role: input.role });
}

export async function setMemberRole(
	ctx: AppContext,
	input: { boardId: string; userId: string; role: BoardRole }
): Promise<MemberDto | null> {
	const member = await changeMemberRole(ctx.sql, input);
	// Reconnecting makes the collaboration server apply the new role (e.g. read-only).
	if (member) ctx.collab.disconnectUser(input.userId, input.boardId);
	return member;
}

export async function expelMember(
	ctx: AppContext,
	input: { boardId: string; userId: string }
): Promise<boolean> {
	const removed = await removeMember(ctx.sql, input);
	if (removed) ctx.collab.disconnectUser(input.userId, input.boardId);
	return removed;
}
