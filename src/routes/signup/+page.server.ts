import { fail, redirect } from '@sveltejs/kit';
import { signupBody } from '$lib/server/api/schemas';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { signUpAccount } from '$lib/server/accounts';
import { formValues, validateForm } from '$lib/server/forms';
import { EmailTakenError } from '$lib/server/users';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/boards');
};

export const actions: Actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData(), ['name', 'email', 'password']);
		const refill = { name: values.name, email: values.email };
		const parsed = validateForm(signupBody, values);
		if (!parsed.ok) {
			return fail(400, {
				...refill,
				message: 'Please correct the highlighted fields.',
				fields: parsed.fields
			});
		}
		try {
			const { session } = await signUpAccount(event, parsed.data);
			setSessionCookie(event.cookies, event.url, session.id, session.expiresAt);
		} catch (error) {
			if (error instanceof EmailTakenError) {
				return fail(409, { ...refill, message: error.message, fields: { email: error.message } });
			}
			throw error;
		}
		redirect(303, '/boards');
	}
};
