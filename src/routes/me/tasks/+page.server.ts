import { redirect } from '@sveltejs/kit';
import { myTaskPage } from '$lib/server/api/my-tasks';
import type { PageServerLoad } from './$types';

/** The first page, grouped for today in UTC; the page regroups for the browser's own day. */
export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname)}`);
	return { page: await myTaskPage(locals.ctx, locals.user.id, {}) };
};
