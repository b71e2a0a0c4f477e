import { startSession } from '$lib/server/api/auth-responses';
import { signupBody } from '$lib/server/api/schemas';
import { signUpAccount } from '$lib/server/accounts';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { EmailTakenError, toUserDto } from '$lib/server/users';

export const POST = endpoint(async (event) => {
	const body = await readJson(event.request, signupBody);
	try {
		const { user, session } = await signUpAccount(event, body);
		startSession(event, session);
		return json({ ...toUserDto(user), sessionToken: session.id }, { status: 201 });
	} catch (error) {
		if (error instanceof EmailTakenError) {
			throw new ApiError(409, error.message, { errors: { email: error.message } });
		}
		throw error;
	}
});
