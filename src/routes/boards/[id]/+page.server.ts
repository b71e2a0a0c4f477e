import { error, fail, redirect } from '@sveltejs/kit';
import { boardTitle } from '$lib/server/api/schemas';
import { getBoardWithRole, isUuid, toBoardDto } from '$lib/server/boards';
import { BoardArchivedError, retitleBoard } from '$lib/server/board-title';
import { formValues } from '$lib/server/forms';
import { LastOwnerError, listMembers, MemberExistsError } from '$lib/server/members';
import {
	expelMember,
	InviteeNotFoundError,
	inviteByEmail,
	setMemberRole
} from '$lib/server/membership';
import { canEditBoard, canManageMembers, canReadBoard, isBoardRole } from '$lib/domain/policy';
import { readBoardPreview } from '$lib/server/board-preview';
import { commentCounts } from '$lib/server/comments';
import { isDomainError } from '$lib/domain/board';
import { colorFor } from '$lib/domain/colors';
import { requestSource } from '$lib/server/events/audit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function access(event: Pick<RequestEvent, 'locals' | 'params' | 'url'>) {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
	const found = await getBoardWithRole(event.locals.ctx.sql, event.params.id, user.id);
	if (!found || !canReadBoard(user, found.role)) error(404, 'Board not found');
	return { user, ...found };
}

async function manager(event: RequestEvent) {
	const found = await access(event);
	if (!canManageMembers(found.user, found.role)) error(403, 'Only owners can manage this board.');
	return found;
}

type Outcome = { action: string; message: string; fields: Record<string, string>; email: string };

/** Every action answers in one shape, so the page reads `form` without narrowing unions. */
function outcome(action: string, parts: Partial<Outcome> = {}): Outcome & { failed: boolean } {
	return { action, message: '', fields: {}, email: '', ...parts, failed: false };
}

function failure(action: string, parts: Partial<Outcome>) {
	return fail(400, { ...outcome(action, parts), failed: true });
}

export const load: PageServerLoad = async (event) => {
	const { user, board, role } = await access(event);
	const { sql, collab } = event.locals.ctx;
	const [members, commentCountsByCard, preview] = await Promise.all([
		listMembers(sql, board.id),
		// Only cards that have comments (an index on them), for the counts on the card faces.
		commentCounts(sql, board.id),
		// Edits made on this instance and not yet in the rows first (only the cards they
		// touched), so a reload shows one's own last change from the first paint.
		collab.syncRows({ boardId: board.id }).then(() => readBoardPreview(sql, board))
	]);
	return {
		board: toBoardDto(board, role),
		members,
		// Assignee avatars use the same colour as the person's presence.
		memberColors: Object.fromEntries(members.map((m) => [m.userId, colorFor(m.userId)])),
		// The first screen only, so the page is small whatever the board's size; the browser
		// fetches the whole document on its own (./document) and replaces the preview with it.
		preview,
		commentCounts: commentCountsByCard,
		// The collaboration server stamps this same colour on the user's presence for others.
		me: { id: user.id, name: user.name, color: colorFor(user.id) },
		canEdit: canEditBoard(user, role) && board.archived_at === null,
		canManage: canManageMembers(user, role)
	};
};

export const actions: Actions = {
	rename: async (event) => {
		const { board } = await manager(event);
		const values = formValues(await event.request.formData(), ['title']);
		const parsed = boardTitle.safeParse(values.title);
		if (!parsed.success) {
			return failure('rename', { fields: { title: parsed.error.issues[0]!.message } });
		}
		try {
			await retitleBoard(event.locals.ctx, {
				boardId: board.id,
				title: parsed.data,
				actorId: event.locals.user!.id
			});
		} catch (error) {
			if (error instanceof BoardArchivedError || isDomainError(error)) {
				return failure('rename', { message: error.message });
			}
			throw error;
		}
		return outcome('rename', { message: 'Board renamed.' });
	},
	invite: async (event) => {
		const { board } = await manager(event);
		const values = formValues(await event.request.formData(), ['email', 'role']);
		const email = values.email!.trim();
		const role = values.role;
		if (!email) return failure('invite', { email, fields: { email: 'Enter an email address.' } });
		if (!isBoardRole(role)) return failure('invite', { email, fields: { role: 'Choose a role.' } });
		try {
			const member = await inviteByEmail(
				event.locals.ctx,
				{ boardId: board.id, email, role },
				requestSource(event)
			);
			return outcome('invite', { message: `${member.name} was added as ${member.role}.` });
		} catch (e) {
			if (e instanceof InviteeNotFoundError || e instanceof MemberExistsError) {
				return failure('invite', { email, fields: { email: e.message } });
			}
			throw e;
		}
	},
	role: async (event) => {
		const { board } = await manager(event);
		const values = formValues(await event.request.formData(), ['userId', 'role']);
		const role = values.role;
		if (!isUuid(values.userId!) || !isBoardRole(role))
			return failure('role', { message: 'Choose a role.' });
		try {
			await setMemberRole(
				event.locals.ctx,
				{ boardId: board.id, userId: values.userId!, role },
				requestSource(event)
			);
		} catch (e) {
			if (e instanceof LastOwnerError) return failure('role', { message: e.message });
			throw e;
		}
		return outcome('role', { message: 'Role updated.' });
	},
	remove: async (event) => {
		const { board } = await manager(event);
		const values = formValues(await event.request.formData(), ['userId']);
		if (!isUuid(values.userId!)) return failure('remove', { message: 'Unknown member.' });
		try {
			await expelMember(
				event.locals.ctx,
				{ boardId: board.id, userId: values.userId! },
				requestSource(event)
			);
		} catch (e) {
			if (e instanceof LastOwnerError) return failure('remove', { message: e.message });
			throw e;
		}
		return outcome('remove', { message: 'Member removed.' });
	}
};
