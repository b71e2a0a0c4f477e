import { signOut } from '$lib/server/auth/sign-out';
import { endpoint, noContent } from '$lib/server/http/endpoint';
import { forbidden } from '$lib/server/http/problem';

export const POST = endpoint(async (event) => {
	const session = event.locals.session;
	// A token is not a session: signing out would leave it working while saying it ended.
	if (session?.via === 'token') {
		throw forbidden(
			'A token cannot sign out; revoke it with DELETE /api/v1/tokens/:id from a signed-in session.'
		);
	}
	await signOut(event);
	return noContent();
});
