/**
 * An exception thrown by a handle inside this one (a dependency failing before the route runs)
 * answers an API request as problem+json, like an exception in the route does (`endpoint`).
 * Left to SvelteKit, it became `{"message": …}` as application/json, which the API's own
 * contract (and its OpenAPI document) says it never sends: a counter that threw while Redis
 * was down answered every API request that way.
 */
import type { Handle } from '@sveltejs/kit';
import { failureResponse } from '../endpoint.ts';
import { isApiRequest } from './api-request.ts';

export const apiFailures: Handle = async ({ event, resolve }) => {
	if (!isApiRequest(event)) return resolve(event);
	try {
		return await resolve(event);
	} catch (caught) {
		return failureResponse(event, caught);
	}
};
