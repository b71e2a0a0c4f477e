/**
 * A hook sends board events to a URL its creator chose, so it must not outlive the creator's
 * right to manage it: a board hook needs its creator to be an owner of the board (or an admin),
 * a workspace-wide hook an admin, and either an account that is not disabled. The changes that
 * take such a right away (a member's role changed or their removal, an account disabled or
 * demoted) call `switchOffOrphanedHooks` in their own transaction, so no event retired after
 * they commit is queued for the hook (the outbox queues only active hooks), and the hook's
 * pending deliveries are held (the dispatcher sends only active hooks' deliveries).
 */
import type { Queryable } from '../db/client.ts';
import { notifyHookManagers } from './queue.ts';

/** What the creator lost; it words the reason the hook shows. */
export type AccessLoss = 'removed' | 'demoted' | 'disabled' | 'not_admin';

function reasonText(loss: AccessLoss, name: string): string {
	switch (loss) {
		case 'removed':
			return `Switched off because ${name}, who registered it, was removed from the board.`;
		case 'demoted':
			return `Switched off because ${name}, who registered it, is no longer an owner of the board.`;
		case 'disabled':
			return `Switched off because the account of ${name}, who registered it, was disabled.`;
		case 'not_admin':
			return `Switched off because ${name}, who registered it, is no longer an admin.`;
	}
}

/**
 * Switches off the active hooks created by `userId` (on `boardId` only, when given) that the
 * user may no longer manage, as the rows stand in this transaction, and notifies who manages
 * them now. Returns the users notified (to signal once the transaction has committed).
 */
export async function switchOffOrphanedHooks(
	tx: Queryable,
	input: { userId: string; boardId?: string; loss: AccessLoss }
): Promise<string[]> {
	const [user] = await tx<{ display_name: string }[]>`
		select display_name from users where id = ${input.userId}`;
	if (!user) return [];
	const reason = reasonText(input.loss, user.display_name);
	const hooks = await tx<{ id: string; board_id: string | null; url: string; updated_at: Date }[]>`
		update webhooks h set active = false, disabled_reason = ${reason}, updated_at = now()
		where h.created_by = ${input.userId} and h.active
			${input.boardId ? tx`and h.board_id = ${input.boardId}` : tx``}
			and not exists (
				select 1 from users u
				where u.id = h.created_by and u.disabled_at is null
					and (u.role = 'admin' or (h.board_id is not null and exists (
						select 1 from board_members m
						where m.board_id = h.board_id and m.user_id = u.id and m.role = 'owner')))
			)
		returning h.id, h.board_id, h.url, h.updated_at`;
	const told = new Set<string>();
	for (const hook of hooks) {
		const users = await notifyHookManagers(tx, {
			webhookId: hook.id,
			boardId: hook.board_id,
			url: hook.url,
			reason,
			cause: 'access',
			dedupeKey: `webhook_disabled:${hook.id}:access:${hook.updated_at.toISOString()}`
		});
		for (const id of users) told.add(id);
	}
	return [...told];
}
