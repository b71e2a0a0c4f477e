/**
 * Audit events as the activity feeds answer them (`/api/v1/boards/{id}/events`, task history).
 * `$lib/server/api/response-schemas.ts` checks at compile time that its schema says the same.
 */

export interface EventDto {
	id: string;
	/** `task.created`, `task.updated`, `member.added`, … */
	type: string;
	actorId: string | null;
	actorName: string | null;
	entityId: string | null;
	entityType: 'task' | 'column' | 'board' | 'member' | 'user' | 'broadcast' | 'token' | 'comment';
	boardId: string | null;
	/** Depends on the type; updates carry `changes` with `before` and `after`. */
	payload: Record<string, unknown>;
	/** Where the change came from; null unless the caller is an admin. */
	metadata: {
		userAgent: string | null;
		ipAddress: string | null;
		/** A fingerprint of the session, not its id. */
		sessionId: string | null;
		instance: string;
	} | null;
	correlationId: string;
	createdAt: string;
}

export interface EventPageDto {
	items: EventDto[];
	nextCursor: string | null;
}
