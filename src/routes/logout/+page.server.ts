import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.session) {
			await locals.ctx.auth.logout(locals.session.id);
			locals.ctx.collab.disconnectSession(locals.session.id);
		}
		clearSessionCookie(cookies, url);
		redirect(303, '/login');
	}
};
