import { signupAccepted } from '$lib/server/api/auth-responses';
import { signupBody } from '$lib/server/api/schemas';
import { registerAccount } from '$lib/server/accounts';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';

/** The same 202 whether or not the address is in use: see `registerAccount`. */
export const POST = endpoint(async (event) => {
	const body = await readJson(event.request, signupBody);
	await registerAccount(event, body);
	return json({ detail: signupAccepted }, { status: 202 });
});
