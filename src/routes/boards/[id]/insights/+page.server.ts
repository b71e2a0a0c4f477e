import { error, redirect } from '@sveltejs/kit';
import { insightsQuery, insightsRange } from '$lib/server/api/insights-query';
import { getBoardWithRole } from '$lib/server/boards';
import { ApiError } from '$lib/server/http/problem';
import { getBoardInsights } from '$lib/server/insights';
import { canReadBoard } from '$lib/domain/policy';
import type { PageServerLoad } from './$types';

/** The range the form asks for, or the default one with a message saying what was wrong. */
function rangeOf(url: URL): { from: string; to: string; problem: string } {
	const parsed = insightsQuery.safeParse(Object.fromEntries(url.searchParams));
	try {
		if (!parsed.success) throw new ApiError(422, 'Send both dates as YYYY-MM-DD.');
		return { ...insightsRange(parsed.data), problem: '' };
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
		const detail = Object.values(e.extra.errors ?? {})[0] ?? e.detail;
		return { ...insightsRange({}), problem: detail };
	}
}

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user;
	if (!user)
		redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	const { sql, collab } = event.locals.ctx;
	const found = await getBoardWithRole(sql, event.params.id, user.id);
	if (!found || !canReadBoard(user, found.role)) error(404, 'Board not found');
	const { from, to, problem } = rangeOf(event.url);
	// Edits on this instance not yet in the rows (and so not in the transitions) first.
	await collab.syncRows({ boardId: found.board.id });
	const insights = await getBoardInsights(sql, { boardId: found.board.id, from, to });
	return { board: { id: found.board.id, title: found.board.title }, insights, problem };
};
