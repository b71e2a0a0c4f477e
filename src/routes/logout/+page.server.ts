import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { recordRequestEvents, userEvent } from '$lib/server/events/audit';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		const { locals, cookies, url } = event;
		if (locals.session) {
			await locals.ctx.auth.logout(locals.session.id);
			// At once: the session is gone, and what was kept of it must not outlive a failed audit write.
			locals.ctx.collab.disconnectSession(locals.session.id);
			await recordRequestEvents(event, [userEvent('user.logged_out', locals.user?.id ?? null)]);
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
