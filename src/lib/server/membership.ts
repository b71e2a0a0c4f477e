/**
 * Membership changes as the pages and the API both perform them: the row change, cutting live
 * connections that the change makes stale, and the audit event.
 */
import type { BoardRole } from '../domain/policy.ts';
import type { AppContext } from './context.ts';
import { recordEvents, type EventSource } from './events/audit.ts';
import { addMember, changeMemberRole, getMember, removeMember, type MemberDto } from './members.ts';
import { getUserByEmail } from './users.ts';

export class InviteeNotFoundError extends Error {
	constructor() {
		super('No active account uses this email. Ask them to sign up first.');
		this.name = 'InviteeNotFoundError';
	}
}

export async function inviteByEmail(
	ctx: AppContext,
	input: { boardId: string; email: string; role: BoardRole },
	/** Who asked, from where: `requestSource(event)`; the audit event needs it. */
	source: EventSource
): Promise<MemberDto> {
	const invitee = await getUserByEmail(ctx.sql, input.email);
	if (!invitee || invitee.disabled_at) throw new InviteeNotFoundError();
	const member = await addMember(ctx.sql, {
		boardId: input.boardId,
		userId: invitee.id,
		role: input.role
	});
	await recordEvents(ctx, source, [
		{
			type: 'member.added',
			entityType: 'member',
			entityId: member.userId,
			boardId: input.boardId,
			payload: { userId: member.userId, name: member.name, role: member.role }
		}
	]);
	return member;
}

export async function setMemberRole(
	ctx: AppContext,
	input: { boardId: string; userId: string; role: BoardRole },
	/** Who asked, from where: `requestSource(event)`; the audit event needs it. */
	source: EventSource
): Promise<MemberDto | null> {
	const previous = await getMember(ctx.sql, input.boardId, input.userId);
	const member = await changeMemberRole(ctx.sql, input);
	if (!member) return null;
	// Reconnecting makes the collaboration server apply the new role (e.g. read-only).
	ctx.collab.disconnectUser(input.userId, input.boardId);
	if (previous?.role !== member.role) {
		await recordEvents(ctx, source, [
			{
				type: 'member.role_changed',
				entityType: 'member',
				entityId: member.userId,
				boardId: input.boardId,
				payload: {
					userId: member.userId,
					name: member.name,
					before: previous?.role ?? null,
					after: member.role
				}
			}
		]);
	}
	return member;
}

export async function expelMember(
	ctx: AppContext,
	input: { boardId: string; userId: string },
	/** Who asked, from where: `requestSource(event)`; the audit event needs it. */
	source: EventSource
): Promise<boolean> {
	const previous = await getMember(ctx.sql, input.boardId, input.userId);
	const removed = await removeMember(ctx.sql, input);
	if (!removed) return false;
	ctx.collab.disconnectUser(input.userId, input.boardId);
	await recordEvents(ctx, source, [
		{
			type: 'member.removed',
			entityType: 'member',
			entityId: input.userId,
			boardId: input.boardId,
			payload: { userId: input.userId, name: previous?.name ?? null, role: previous?.role ?? null }
		}
	]);
	return true;
}
