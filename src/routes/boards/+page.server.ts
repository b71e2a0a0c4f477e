import { fail, redirect } from '@sveltejs/kit';
import { createBoardBody } from '$lib/server/api/schemas';
import { openBoard } from '$lib/server/board-lifecycle';
import { listBoardsForMember, toBoardDto } from '$lib/server/boards';
import { requestSource } from '$lib/server/events/audit';
import { formValues, validateForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname)}`);
	// `?view=archived` lists the archived boards instead, so the view can be linked to.
	const archived = url.searchParams.get('view') === 'archived';
	const boards = await listBoardsForMember(locals.ctx.sql, locals.user.id, {
		archivedOnly: archived
	});
	return { archived, boards: boards.map(({ board, role }) => toBoardDto(board, role)) };
};

export const actions: Actions = {
	create: async (event) => {
		const { locals, request } = event;
		if (!locals.user) redirect(303, '/login');
		const values = formValues(await request.formData(), ['title']);
		const parsed = validateForm(createBoardBody, values);
		if (!parsed.ok) return fail(400, { title: values.title, fields: parsed.fields });
		const board = await openBoard(locals.ctx, requestSource(event), {
			title: parsed.data.title,
			ownerId: locals.user.id
		});
		redirect(303, `/boards/${board.id}`);
	}
};
