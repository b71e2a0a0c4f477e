import type { RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/service.ts';
import { isUuid } from '../boards.ts';
import { requireUser } from '../http/endpoint.ts';
import { forbidden, notFound } from '../http/problem.ts';
import { isAdmin } from '../../domain/policy.ts';

/** 401 without a credential, 403 for anyone but an admin: the gate of every admin endpoint. */
export function requireAdmin(event: RequestEvent): SessionUser {
	const user = requireUser(event);
	if (!isAdmin(user)) throw forbidden('Only admins can use workspace administration.');
	return user;
}

/** The `[id]` path parameter; a malformed one answers 404 like an unknown one. */
export function pathId(event: RequestEvent, what: 'user' | 'board'): string {
	const id = event.params.id ?? '';
	if (!isUuid(id)) throw notFound(what);
	return id;
}
