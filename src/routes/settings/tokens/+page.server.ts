import { fail, redirect } from '@sveltejs/kit';
import { createTokenBody } from '$lib/server/api/token-schemas';
import { listApiTokens } from '$lib/server/auth/api-tokens';
import { createTokenAudited, revokeTokenAudited } from '$lib/server/auth/token-audit';
import { isUuid } from '$lib/server/boards';
import { formValues, validateForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname)}`);
	return { tokens: await listApiTokens(locals.ctx.sql, locals.user.id) };
};

export const actions: Actions = {
	create: async (event) => {
		const { locals, request } = event;
		if (!locals.user) redirect(303, '/login');
		const values = formValues(await request.formData(), ['name', 'scope', 'expiresOn']);
		// A date input gives a day; the token lasts until the end of that day (UTC).
		const expiresAt = values.expiresOn ? `${values.expiresOn}T23:59:59Z` : null;
		// The API's body, field for field (it refuses unknown ones, such as the form's day).
		const body = { name: values.name, scope: values.scope, expiresAt };
		const parsed = validateForm(createTokenBody, body as Record<string, string>);
		if (!parsed.ok) {
			const { expiresAt: expiryError, ...fields } = parsed.fields;
			return fail(400, {
				name: values.name,
				fields: expiryError ? { ...fields, expiresOn: expiryError } : fields
			});
		}
		const { token, secret } = await createTokenAudited(event, locals.user.id, {
			name: parsed.data.name,
			scope: parsed.data.scope,
			expiresAt: parsed.data.expiresAt ? new Date(parsed.data.expiresAt) : null
		});
		return { created: { name: token.name, secret } };
	},
	revoke: async (event) => {
		const { locals, request } = event;
		if (!locals.user) redirect(303, '/login');
		const { id } = formValues(await request.formData(), ['id']);
		if (!isUuid(id!) || !(await revokeTokenAudited(event, locals.user.id, id!))) {
			return fail(404, { revokeError: 'That token no longer exists.' });
		}
		locals.ctx.collab.disconnectSession(`token:${id}`);
		return { revoked: true };
	}
};
