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
			/**
			 * How the caller authenticated: a session (cookie or bearer) or a personal access token
			 * (`id` is then `token:<tokenId>`), and what it may do.
			 */
			session: {
				id: string;
				via: 'cookie' | 'bearer' | 'token';
				scope: 'read' | 'read-write';
			} | null;
		}
	}
}

export {};
