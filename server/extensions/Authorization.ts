import type {
	Connection,
	connectedPayload,
	Extension,
	onAuthenticatePayload
} from '@hocuspocus/server';
import { resolvePrincipal, type Credential, type Principal } from '#lib/server/auth/principal.ts';
import type { AuthService, SessionUser } from '#lib/server/auth/service.ts';
import { getBoardWithRole } from '#lib/server/boards.ts';
import type { Sql } from '#lib/server/db/client.ts';
import { isSameOrigin } from '#lib/server/http/origin.ts';
import type { UserActivity } from '#lib/server/user-activity.ts';
import { isDatabaseUnavailable, readAcrossBlip } from '#lib/server/db/unavailable.ts';
import type { Logger } from '#lib/server/log.ts';
import { canEditBoard, canReadBoard, type BoardRole } from '#lib/domain/policy.ts';
import { parseBoardDocumentName } from '../collab-names.ts';
import { ExpiringConnections } from '../expiring-connections.ts';
import type { Admission, WsLimits } from '../ws-limits.ts';

/** What every connection carries after authentication (Hocuspocus `context`). */
export interface CollabContext {
	user: SessionUser;
	sessionId: string;
	boardId: string;
	role: BoardRole | null;
	/** When the credential stops being valid, as last read (null: never). */
	expiresAt: Date | null;
	/** What the credential is: a token's expiry is fixed, a session's renews with use. */
	via: Principal['via'];
	/** This connection's hold on the board among the user's (`WsLimits.admitBoard`). */
	admission: Admission;
}

export interface AuthorizationOptions {
	sql: Sql;
	auth: AuthService;
	/** The app's public origin; unset means the origin the upgrade request was addressed to. */
	origin: string | null;
	/** Told of each admitted connection's user (`last_active_at`). */
	activity?: UserActivity | null;
	log: Logger;
	/**
	 * Closes the socket of a connection that cannot be checked now, for it to come back; and
	 * bounds the boards a socket and a user hold open.
	 */
	sockets: Pick<WsLimits, 'retryLater' | 'admitBoard'>;
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

/**
 * What a socket is closed with when its credential expires; its reconnection is refused as
 * unauthenticated, and the board page asks to sign in again.
 */
export const credentialExpired = { code: 4401, reason: 'Credential expired' };

/** Checked again this long after a re-check of an expired session failed for want of the database. */
const recheckMs = 30_000;

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
	/** Admitted connections, closed when their credential expires (unless a session was extended). */
	readonly #expiring = new ExpiringConnections<Connection<CollabContext>>((due) => {
		for (const connection of due) {
			this.#recheck(connection).catch((error: unknown) => {
				this.options.log.error({ err: error }, 'closing a socket whose credential expired failed');
			});
		}
	});

	constructor(options: AuthorizationOptions) {
		this.options = options;
	}

	async connected({ connection, context }: connectedPayload<CollabContext>): Promise<void> {
		if (!context.expiresAt) return;
		this.#expiring.watch(connection, context.expiresAt.getTime());
		connection.onClose(() => this.#expiring.forget(connection));
	}

	async onDestroy(): Promise<void> {
		this.#expiring.stop();
	}

	/**
	 * A token's expiry is fixed; a session's moves later when its use renews it, so a session is
	 * read again (by its id, as a bearer secret) before its socket is closed.
	 */
	async #recheck(connection: Connection<CollabContext>): Promise<void> {
		const { sessionId, via } = connection.context;
		let renewed: Date | null | undefined;
		if (via !== 'token') {
			try {
				renewed = (await resolvePrincipal(this.options, { secret: sessionId, carrier: 'bearer' }))
					?.expiresAt;
			} catch (error) {
				if (isDatabaseUnavailable(error)) renewed = new Date(Date.now() + recheckMs);
				// Otherwise not known to be valid: closed, and the reconnection is checked anew.
				else this.options.log.error({ err: error }, 'checking an expired session failed');
			}
		}
		// Closed while the session was read: watching it again would keep it (and its document).
		if (!connection.document.hasConnection(connection)) return;
		if (renewed && renewed.getTime() > Date.now()) {
			this.#expiring.watch(connection, renewed.getTime());
		} else {
			connection.webSocket.close(credentialExpired.code, credentialExpired.reason);
		}
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

		let principal: Awaited<ReturnType<typeof resolvePrincipal>>;
		let found: Awaited<ReturnType<typeof getBoardWithRole>>;
		try {
			// Both reads run once more when a database blip ended the connection under the first.
			principal = await resolvePrincipal(this.options, credential);
			if (!principal) deny('unauthenticated');
			const user = principal.user;
			// Batched per turn with every other role lookup (sockets and API requests alike).
			found = await readAcrossBlip(() => getBoardWithRole(this.options.sql, boardId, user.id));
		} catch (error) {
			if (!isDatabaseUnavailable(error)) throw error;
			// Not a refusal: the provider would report "no access" and never ask again. The
			// socket closes as "try again later" and the client reconnects with its backoff.
			this.options.log.warn({ err: error }, 'database unavailable; websocket asked to retry');
			this.options.sockets.retryLater(data.request);
			deny('unavailable');
		}
		if (!found || !canReadBoard(principal.user, found.role)) deny('not-found');
		const admission = this.options.sockets.admitBoard(
			data.request,
			principal.user.id,
			data.documentName
		);
		if (typeof admission === 'string') deny(admission);

		data.connectionConfig.readOnly =
			!principal.canWrite ||
			!canEditBoard(principal.user, found.role) ||
			found.board.archived_at !== null;
		this.options.activity?.seen(principal.user.id);
		return {
			user: principal.user,
			sessionId: principal.sessionId,
			boardId,
			role: found.role,
			expiresAt: principal.expiresAt,
			via: principal.via,
			admission
		};
	}
}

function originOf(request: Request): string {
	const url = new URL(request.url);
	const host = request.headers.get('host');
	return host ? `${url.protocol}//${host}` : url.origin;
}
