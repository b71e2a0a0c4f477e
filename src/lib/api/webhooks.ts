/**
 * Webhooks as the API and the webhook page show them. Plain data and types only: the server
 * builds them (`$lib/server/webhooks`), the browser reads them.
 */
export interface WebhookDto {
	id: string;
	/** Null for a workspace-wide hook (every board). */
	boardId: string | null;
	url: string;
	/** Patterns such as `task.*` or `comment.created`. */
	events: string[];
	active: boolean;
	/** Why it was switched off automatically; null while active or when switched off by hand. */
	disabledReason: string | null;
	createdAt: string;
	updatedAt: string;
}

/** Returned once, when the hook is created or its secret rotated. */
export interface WebhookWithSecretDto extends WebhookDto {
	secret: string;
}

export const deliveryStates = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

export interface WebhookDeliveryDto {
	id: string;
	eventId: string;
	eventType: string;
	state: DeliveryState;
	attempts: number;
	/** The receiver's HTTP status at the last attempt; null if it never answered. */
	responseStatus: number | null;
	durationMs: number | null;
	/** Why the last attempt failed (timeout, refused address, HTTP 500, …). */
	error: string | null;
	/** When a pending delivery is tried next. */
	nextAttemptAt: string | null;
	/** The delivery this one repeats, for a manual redelivery. */
	redeliveryOf: string | null;
	createdAt: string;
	finishedAt: string | null;
}
