/** Bodies, queries and answers of the webhook endpoints. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { deliveryStates, type WebhookDeliveryDto, type WebhookDto } from '../../api/webhooks.ts';
import { isUuid } from '../boards.ts';
import { decodeCursor } from '../events/ids.ts';
import { isForbiddenAddress } from '../webhooks/address-policy.ts';
import { deliveryIdOf } from '../webhooks/store.ts';
import { isWebhookEventPattern } from '../webhooks/event-types.ts';
import { component, page } from './response-schemas.ts';
import { eventPageQuery } from './schemas.ts';

const foreignCursor = 'This cursor was not issued by this listing; start from the first page.';
const cursorWhoseKey = (valid: (key: string) => boolean) =>
	eventPageQuery.shape.cursor.refine((cursor) => {
		const position = cursor ? decodeCursor(cursor) : null;
		return !position || valid(position.key);
	}, foreignCursor);

/** `?limit=&cursor=` of hook listings (the cursor carries a hook id). */
export const hookPageQuery = eventPageQuery.extend({ cursor: cursorWhoseKey(isUuid) });

/** `?limit=&cursor=` of a delivery log (the cursor carries a delivery id). */
export const deliveryPageQuery = eventPageQuery.extend({
	cursor: cursorWhoseKey((key) => deliveryIdOf(key) !== null)
});

function parsedUrl(value: string): URL | null {
	try {
		return new URL(value);
	} catch {
		return null;
	}
}

const urlText = z
	.string()
	.trim()
	.max(2000, 'Use a URL of at most 2,000 characters.')
	.refine((value) => {
		const url = parsedUrl(value);
		return (url?.protocol === 'https:' || url?.protocol === 'http:') && url.hostname !== '';
	}, 'Give an absolute http:// or https:// URL.')
	.refine((value) => {
		const url = parsedUrl(value);
		return !url || (url.username === '' && url.password === '');
	}, 'Put no user name or password in the URL; verify deliveries by their signature instead.')
	.describe(
		'Where deliveries are POSTed. Loopback, private and link-local targets are refused unless the server runs with `WEBHOOK_ALLOW_PRIVATE=true` (checked again on every delivery, after DNS).'
	);

/**
 * An address the server would refuse to send to, named literally, is refused at once; a name
 * is only resolved at send time (see the sender).
 */
export function literalTargetProblem(url: string, allowPrivate: boolean): string | null {
	if (allowPrivate) return null;
	// One trailing dot names the same host (`localhost.` is `localhost`), and resolvers answer
	// every `*.localhost` name with loopback (RFC 6761), so both count as this machine.
	const host = new URL(url).hostname
		.replace(/^\[|\]$/g, '')
		.toLowerCase()
		.replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'This URL names this machine.';
	if (isIP(host) && isForbiddenAddress(host)) {
		return 'This URL names a private or reserved address.';
	}
	return null;
}

const events = z
	.array(
		z
			.string()
			.refine(
				isWebhookEventPattern,
				'Name a group (`task.*`, `column.*`, `comment.*`, `member.*`, `board.*`) or one of its event types, e.g. `comment.created`.'
			)
	)
	.min(1, 'Choose at least one event.')
	.max(50, 'Choose at most 50 events.')
	.transform((list) => [...new Set(list)])
	.describe('Event types or groups, e.g. `["task.*", "comment.created"]`.');

export const createWebhookBody = z.strictObject({ url: urlText, events });

export const updateWebhookBody = z
	.strictObject({
		url: urlText.optional(),
		events: events.optional(),
		active: z
			.boolean()
			.optional()
			.describe('Switch the hook on or off; switching on resumes its queued deliveries.'),
		rotateSecret: z
			.literal(true)
			.optional()
			.describe('Replace the secret; the answer shows the new one, once.')
	})
	.refine(
		(body) => Object.keys(body).length > 0,
		'Change at least one of url, events, active, rotateSecret.'
	);

const instant = z.iso.datetime();

export const webhookSchema = component(
	'Webhook',
	z.object({
		id: z.uuid(),
		boardId: z.uuid().nullable().describe('Null for a workspace-wide hook.'),
		url: z.string(),
		events: z.array(z.string()),
		active: z.boolean(),
		disabledReason: z
			.string()
			.nullable()
			.describe(
				'Why TaskFlow switched the hook off (a delivery failed for the whole retry period).'
			),
		createdAt: instant,
		updatedAt: instant
	})
);

export const webhookWithSecretSchema = component(
	'WebhookWithSecret',
	webhookSchema.extend({
		secret: z.string().describe('Signs every delivery (HMAC-SHA256). Shown only now: store it.')
	})
);

export const webhookDeliverySchema = component(
	'WebhookDelivery',
	z.object({
		id: z.string().regex(/^\d+$/),
		eventId: z.uuid(),
		eventType: z.string(),
		state: z.enum(deliveryStates),
		attempts: z.number().int().min(0),
		responseStatus: z.number().int().nullable(),
		durationMs: z.number().int().min(0).nullable(),
		error: z.string().nullable(),
		nextAttemptAt: instant.nullable(),
		redeliveryOf: z.string().nullable(),
		createdAt: instant,
		finishedAt: instant.nullable()
	})
);

export const webhookPageSchema = page('WebhookPage', webhookSchema);
export const webhookDeliveryPageSchema = page('WebhookDeliveryPage', webhookDeliverySchema);

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(value: T) => value;
agree<Same<z.infer<typeof webhookSchema>, WebhookDto>>(true);
agree<Same<z.infer<typeof webhookDeliverySchema>, WebhookDeliveryDto>>(true);
