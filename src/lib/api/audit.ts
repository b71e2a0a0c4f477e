/**
 * The admin audit log's filters (`GET /api/v1/admin/events`) as the admin page builds them.
 * The event types the workspace records, for the type filter. `AuditEvent['type']` is this
 * list, so an event recorded under a type missing here does not compile; the API still accepts
 * any `word.word` type (an older release's, say).
 */
export const auditEventTypes = [
	'board.created',
	'board.renamed',
	'board.archived',
	'board.restored',
	'board.deleted',
	'board.owner_changed',
	'board.version_restored',
	'column.created',
	'column.renamed',
	'column.updated',
	'column.moved',
	'column.deleted',
	'column.restored',
	'task.created',
	'task.updated',
	'task.moved',
	'task.deleted',
	'task.restored',
	'comment.created',
	'comment.updated',
	'comment.deleted',
	'member.added',
	'member.removed',
	'member.role_changed',
	'user.signed_up',
	'user.logged_in',
	'user.logged_out',
	'user.login_failed',
	'user.password_reset_issued',
	'user.password_reset',
	'user.sessions_revoked',
	'user.role_changed',
	'user.disabled',
	'user.enabled',
	'token.created',
	'token.revoked',
	'system.broadcast'
] as const;

export type AuditEventType = (typeof auditEventTypes)[number];

export interface AuditFilters {
	/** A user id or email. */
	actor: string;
	type: string;
	boardId: string;
	/** `YYYY-MM-DD` (a whole UTC day) or empty. */
	from: string;
	to: string;
}

/** The query string for `filters` (empty ones left out) and an optional cursor. */
export function auditQuery(filters: AuditFilters, cursor: string | null = null): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(filters)) {
		if (value.trim()) params.set(key, value.trim());
	}
	if (cursor) params.set('cursor', cursor);
	const query = params.toString();
	return query ? `?${query}` : '';
}
