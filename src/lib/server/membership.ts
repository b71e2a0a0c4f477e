/**
 * Membership changes as the pages and the API both perform them: the row change, its audit
 * event and switching off the webhooks its creator may no longer manage (webhooks/access.ts) in
 * one transaction, then cutting live connections that the change makes stale.
 */
import type { BoardRole } from '../domain/policy.ts';
import type { AppContext } from './context.ts';
import { changeWithEvents, type EventSource } from './events/audit.ts';
import { addMember, changeMemberRole, getMember, removeMember, type MemberDto } from './members.ts';
import { getUserByEmail } from './users.ts';
import { switchOffOrphanedHooks } from './webhooks/access.ts';

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
	return changeWithEvents(ctx, source, async (tx) => {
		const member = await addMember(tx, {
			boardId: input.boardId,
			userId: invitee.id,
			role: input.role
		});
		const payload = { userId: member.userId, name: member.name, role: member.role };
		return {
			result: member,
			events: [
				{
					type: 'member.added',
					entityType: 'member',
					entityId: member.userId,
					boardId: input.boardId,
					payload
				}
			]
		};
	});
}

export async function setMemberRole(
	ctx: AppContext,
	input: { boardId: string; userId: string; role: BoardRole },
	/** Who asked, from where: `requestSource(event)`; the audit event needs it. */
	source: EventSource
): Promise<MemberDto | null> {
	let told: string[] = [];
	const member = await changeWithEvents(ctx, source, async (tx) => {
		const previous = await getMember(tx, input.boardId, input.userId);
		const member = await changeMemberRole(tx, input);
		if (!member || previous?.role === member.role) return { result: member, events: [] };
		if (previous?.role === 'owner') {
			told = await switchOffOrphanedHooks(tx, { ...input, loss: 'demoted' });
		}
		return {
			result: member,
			events: [
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
			]
		};
	});
	// Reconnecting makes the collaboration server apply the new role (e.g. read-only).
	if (member) ctx.collab.disconnectUser(input.userId, input.boardId);
	if (told.length > 0) ctx.notifications.publish({ userIds: told, reason: 'new' });
	return member;
}

export async function expelMember(
	ctx: AppContext,
	input: { boardId: string; userId: string },
	/** Who asked, from where: `requestSource(event)`; the audit event needs it. */
	source: EventSource
): Promise<boolean> {
	let told: string[] = [];
	const removed = await changeWithEvents(ctx, source, async (tx) => {
		const previous = await getMember(tx, input.boardId, input.userId);
		if (!(await removeMember(tx, input))) return { result: false, events: [] };
		told = await switchOffOrphanedHooks(tx, { ...input, loss: 'removed' });
		return {
			result: true,
			events: [
				{
					type: 'member.removed',
					entityType: 'member',
					entityId: input.userId,
					boardId: input.boardId,
					payload: {
						userId: input.userId,
						name: previous?.name ?? null,
						role: previous?.role ?? null
					}
				}
			]
		};
	});
	if (removed) ctx.collab.disconnectUser(input.userId, input.boardId);
	if (told.length > 0) ctx.notifications.publish({ userIds: told, reason: 'new' });
	return removed;
}
