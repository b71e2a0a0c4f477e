import { error, fail, redirect } from '@sveltejs/kit';
import { broadcastBody } from '$lib/server/api/notification-schemas';
import { formValues, validateForm } from '$lib/server/forms';
import { recentBroadcasts, sendBroadcast } from '$lib/server/notifications/broadcast';
import { isAdmin } from '$lib/domain/policy';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname)}`);
	if (!isAdmin(locals.user)) error(403, 'Only admins can open workspace administration.');
	return { broadcasts: await recentBroadcasts(locals.ctx.sql) };
};

export const actions: Actions = {
	broadcast: async (event) => {
		const user = event.locals.user;
		if (!user) redirect(303, '/login');
		if (!isAdmin(user)) error(403, 'Only admins can send system messages.');
		const values = formValues(await event.request.formData(), ['title', 'body']);
		const parsed = validateForm(broadcastBody, values);
		if (!parsed.ok) return fail(400, { values, fields: parsed.fields });
		const sent = await sendBroadcast(event, user, parsed.data);
		return { sent: { title: sent.title, recipients: sent.recipients } };
	}
};
