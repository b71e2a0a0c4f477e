import { error, redirect } from '@sveltejs/kit';
import { listVersions } from '$lib/server/board-versions';
import { getBoardWithRole } from '$lib/server/boards';
import { listMembers } from '$lib/server/members';
import { canEditBoard, canReadBoard } from '$lib/domain/policy';
import { versionPageSize } from './version-history.svelte';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
	const { sql } = event.locals.ctx;
	const found = await getBoardWithRole(sql, event.params.id, user.id);
	if (!found || !canReadBoard(user, found.role)) error(404, 'Board not found');
	const { board, role } = found;
	const [versions, members] = await Promise.all([
		listVersions(sql, board.id, { limit: versionPageSize }),
		listMembers(sql, board.id)
	]);
	return {
		board: { id: board.id, title: board.title },
		// Naming and restoring are edits, refused on an archived board like any other.
		canEdit: canEditBoard(user, role) && board.archived_at === null,
		versions,
		// Names for "named by" and the preview's assignees; people who left show as such.
		names: Object.fromEntries(members.map((m) => [m.userId, m.name])) as Record<string, string>
	};
};
