import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { resolvePrincipal, type Credential } from '#lib/server/auth/principal.ts';
import type { AuthService, SessionUser } from '#lib/server/auth/service.ts';
import { getBoardWithRole } from '#lib/server/boards.ts';
import type { Sql } from '#lib/server/db/client.ts';
import { isSameOrigin } from '#lib/server/http/origin.ts';
import type { UserActivity } from '#lib/server/user-activity.ts';
import { canEditBoard, canReadBoard, type BoardRole } from '#lib/domain/policy.ts';
import { parseBoardDocumentName } from '../collab-names.ts';

/** What every connection carries after authentication (Hocuspocus `context`). */
export interface CollabContext {
	user: SessionUser;
	sessionId: string;
	boardId: string;
	role: BoardRole | null;
}

export interface AuthorizationOptions {
	sql: Sql;
	auth: AuthService;
	/** The app's public origin; unset means the origin the upgrade request was addressed to. */
	origin: string | null;
	/** Told of each admitted connection's user (`last_active_at`). */
	activity?: UserActivity | null;
}

const cookieNames = ['__Host-tf_session', 'tf_session'];

function sessionFromCookie(header: string | null): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const [name, ...rest] = part.trim().split('=');
		if (name && cookieNames.includes(name)) return decodeURIComponent(rest.join('='));
	}
	return null;
}

/** Rejects with a reason the provider reports as `authenticationFailed`. */
function deny(reason: string): never {
	throw Object.assign(new Error(reason), { reason });
}

/**
 * Admits a websocket connection to `board:<id>` for members only (viewers and non-member admins
 * read-only). A cookie-authenticated upgrade must come from our own origin, or any site could
 * open a board in the victim's name (cross-site websocket hijacking).
 */
export class Authorization implements Extension {
	extensionName = 'Authorization';
	// Runs before every other extension's onAuthenticate: nothing else may see an unchecked connection.
	priority = 1000;

	private readonly options: AuthorizationOptions;

	constructor(options: AuthorizationOptions) {
		this.options = options;
	}

	async onAuthenticate(data: onAuthenticatePayload): Promise<CollabContext> {
		const boardId = parseBoardDocumentName(data.documentName);
		if (!boardId) deny('invalid-document-name');

		let credential: Credential | null = data.token
			? { secret: data.token, carrier: 'bearer' }
			: null;
		if (!credential) {
			const cookie = sessionFromCookie(data.requestHeaders.get('cookie'));
			const expected = this.options.origin ?? originOf(data.request);
			if (cookie && !isSameOrigin(data.requestHeaders, expected)) deny('origin-not-allowed');
			credential = cookie ? { secret: cookie, carrier: 'cookie' } : null;
		}
		if (!credential) deny('unauthenticated');

		const principal = await resolvePrincipal(this.options, credential);
		if (!principal) deny('unauthenticated');

		// Batched per turn with every other role lookup (sockets and API requests alike).
		const found = await getBoardWithRole(this.options.sql, boardId, principal.user.id);
		if (!found || !canReadBoard(principal.user, found.role)) deny('not-found');

		data.connectionConfig.readOnly =
			!principal.canWrite ||
			!canEditBoard(principal.user, found.role) ||
			found.board.archived_at !== null;
		this.options.activity?.seen(principal.user.id);
		return { user: principal.user, sessionId: principal.sessionId, boardId, role: found.role };
	}
}

function originOf(request: Request): string {
	const url = new URL(request.url);
	const host = request.headers.get('host');
	return host ? `${url.protocol}//${host}` : url.origin;
}
