import { error, fail } from '@sveltejs/kit';
import { completePasswordReset } from '$lib/server/admin/actions';
import { resetPasswordForm } from '$lib/server/api/admin-schemas';
import { findPasswordReset } from '$lib/server/auth/password-resets';
import { formValues, validateForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const deadLink = 'This link has expired or was already used. Ask your administrator for a new one.';

export const load: PageServerLoad = async ({ locals, params, request, setHeaders }) => {
	// The token is in the URL: keep the page out of caches and the link out of Referer headers.
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const reset = await findPasswordReset(locals.ctx.sql, params.token);
	// After the form's POST used the link, the page still renders (showing its outcome).
	if (!reset && request.method !== 'POST') error(410, deadLink);
	return { email: reset?.email ?? null };
};

export const actions: Actions = {
	default: async (event) => {
		const values = formValues(await event.request.formData(), ['password', 'confirm']);
		const parsed = validateForm(resetPasswordForm, values);
		if (!parsed.ok) return fail(400, { fields: parsed.fields });
		const done = await completePasswordReset(event, {
			token: event.params.token,
			password: parsed.data.password
		});
		if (!done) return fail(410, { message: deadLink, fields: {} });
		return { done: true };
	}
};
