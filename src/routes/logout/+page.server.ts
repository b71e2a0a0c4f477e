import { redirect } from '@sveltejs/kit';
import { signOut } from '$lib/server/auth/sign-out';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async (event) => {
		await signOut(event);
		redirect(303, '/login');
	}
};
