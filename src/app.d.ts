import type { AppContext } from '$lib/server/context';
import type { SessionUser } from '$lib/server/auth/service';
import type { Logger } from '$lib/server/log';

declare global {
	namespace App {
		interface Error {
			message: string;
			requestId?: string;
		}
		interface Locals {
			ctx: AppContext;
			log: Logger;
			requestId: string;
			user: SessionUser | null;
			/** How the caller authenticated: the session id and whether it came in a cookie. */
			session: { id: string; via: 'cookie' | 'bearer' } | null;
		}
	}
}

export {};
