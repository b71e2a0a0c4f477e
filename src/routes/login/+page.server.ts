import { fail, redirect } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import {
	loginFailedEvent,
	recordRequestEvents,
	requestSource,
	userEvent
} from '$lib/server/events/audit';
import { formValues, safeRedirect } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo')));
};

export const actions: Actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData(), ['email', 'password']);
		const email = values.email!.trim();
		const fields: Record<string, string> = {};
		if (!email || !values.password) {
			return fail(400, {
				email,
				message: 'Enter your email and password.',
				fields: {
					...fields,
					...(email ? {} : { email: 'Enter your email.' }),
					...(values.password ? {} : { password: 'Enter your password.' })
				}
			});
		}
		const result = await event.locals.ctx.auth.login({
			email,
			password: values.password,
			ip: event.getClientAddress()
		});
		if (!result.ok) {
			const anonymous = requestSource(event, null, null);
			await recordRequestEvents(event, [loginFailedEvent(email, result.reason)], anonymous);
			const message =
				result.reason === 'throttled'
					? `Too many failed attempts. Try again in ${Math.ceil(result.retryAfterSeconds / 60)} minute(s).`
					: 'Email or password is incorrect.';
			return fail(result.reason === 'throttled' ? 429 : 400, { email, message, fields });
		}
		setSessionCookie(event.cookies, event.url, result.session.id, result.session.expiresAt);
		const source = requestSource(event, result.user.id, result.session.id);
		await recordRequestEvents(event, [userEvent('user.logged_in', result.user.id)], source);
		redirect(303, safeRedirect(event.url.searchParams.get('redirectTo')));
	}
};
