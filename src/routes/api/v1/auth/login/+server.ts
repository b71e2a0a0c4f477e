import { startSession } from '$lib/server/api/auth-responses';
import { loginBody } from '$lib/server/api/schemas';
import {
	loginFailedEvent,
	recordRequestEvents,
	requestSource,
	userEvent
} from '$lib/server/events/audit';
import { readJson } from '$lib/server/http/body';
import { endpoint, json } from '$lib/server/http/endpoint';
import { ApiError } from '$lib/server/http/problem';
import { toUserDto } from '$lib/server/users';

export const POST = endpoint(async (event) => {
	const body = await readJson(event.request, loginBody);
	const result = await event.locals.ctx.auth.login({ ...body, ip: event.getClientAddress() });
	if (!result.ok) {
		const anonymous = requestSource(event, null, null);
		await recordRequestEvents(event, [loginFailedEvent(body.email, result.reason)], anonymous);
	}
	if (!result.ok && result.reason === 'throttled') {
		throw new ApiError(429, 'Too many failed sign-in attempts. Try again later.', {
			headers: { 'retry-after': String(result.retryAfterSeconds) }
		});
	}
	if (!result.ok) throw new ApiError(401, 'Email or password is incorrect.');
	startSession(event, result.session);
	const source = requestSource(event, result.user.id, result.session.id);
	await recordRequestEvents(event, [userEvent('user.logged_in', result.user.id)], source);
	return json({ user: toUserDto(result.user), sessionToken: result.session.id });
});
