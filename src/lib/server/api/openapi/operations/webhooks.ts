/** Webhooks: registering HTTP endpoints for board events, and their delivery logs. */
import {
	createWebhookBody,
	deliveryPageQuery,
	hookPageQuery,
	updateWebhookBody,
	webhookDeliveryPageSchema,
	webhookDeliverySchema,
	webhookPageSchema,
	webhookSchema,
	webhookWithSecretSchema
} from '../../webhook-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const board = { id: 'The board.' };
const hook = { id: 'The webhook.' };
const noHook = 'No such webhook, or you cannot see its board.';
const notOwner = 'You are a member of the board but not an owner.';
const archived = 'The board is archived: its hooks can be read and deleted, not changed.';
const signing =
	'Each delivery POSTs the event as the event log holds it (JSON) with `X-TaskFlow-Event`, `X-TaskFlow-Delivery`, `X-TaskFlow-Event-Id`, `X-TaskFlow-Timestamp` (Unix seconds) and `X-TaskFlow-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`. Delivered at least once, in order per board, retried with exponential backoff for 24 hours; a hook whose delivery fails that long is switched off and its owners notified.';
const example = {
	url: 'https://hooks.example.com/taskflow',
	events: ['task.*', 'comment.created']
};

export const webhookOperations: OperationSpec[] = [
	{
		id: 'listBoardWebhooks',
		method: 'GET',
		path: '/api/v1/boards/{id}/webhooks',
		tag: 'Webhooks',
		summary: "List a board's webhooks",
		description: 'Oldest first. Secrets are never listed.',
		pathParams: board,
		query: hookPageQuery,
		responses: { 200: { description: 'One page of hooks.', schema: webhookPageSchema } },
		problems: { 403: notOwner, 404: 'No such board, or you are not a member.' }
	},
	{
		id: 'createBoardWebhook',
		method: 'POST',
		path: '/api/v1/boards/{id}/webhooks',
		tag: 'Webhooks',
		summary: 'Register a webhook on a board',
		description: `Owners only; at most 20 per board. ${signing}`,
		pathParams: board,
		body: createWebhookBody,
		example,
		responses: {
			201: {
				description: 'The hook with its secret, shown only now.',
				schema: webhookWithSecretSchema,
				headers: ['Location']
			}
		},
		problems: {
			403: notOwner,
			404: 'No such board, or you are not a member.',
			409: `The board already has 20 webhooks, or: ${archived}`
		}
	},
	{
		id: 'listWorkspaceWebhooks',
		method: 'GET',
		path: '/api/v1/webhooks',
		tag: 'Webhooks',
		summary: 'List workspace-wide webhooks',
		description: 'Hooks that receive the events of every board. Admins only.',
		query: hookPageQuery,
		responses: { 200: { description: 'One page of hooks.', schema: webhookPageSchema } },
		problems: { 403: 'The caller is not an admin.' }
	},
	{
		id: 'createWorkspaceWebhook',
		method: 'POST',
		path: '/api/v1/webhooks',
		tag: 'Webhooks',
		summary: 'Register a workspace-wide webhook',
		description: `Receives the events of every board. Admins only; at most 20. ${signing}`,
		body: createWebhookBody,
		example,
		responses: {
			201: {
				description: 'The hook with its secret, shown only now.',
				schema: webhookWithSecretSchema,
				headers: ['Location']
			}
		},
		problems: { 403: 'The caller is not an admin.', 409: 'The workspace already has 20 webhooks.' }
	},
	{
		id: 'getWebhook',
		method: 'GET',
		path: '/api/v1/webhooks/{id}',
		tag: 'Webhooks',
		summary: 'Get a webhook',
		pathParams: hook,
		responses: { 200: { description: 'The hook, without its secret.', schema: webhookSchema } },
		problems: { 403: notOwner, 404: noHook }
	},
	{
		id: 'updateWebhook',
		method: 'PATCH',
		path: '/api/v1/webhooks/{id}',
		tag: 'Webhooks',
		summary: 'Change, switch on or off, or rotate the secret of a webhook',
		description:
			'Switching a hook on again resumes its queued deliveries in order. With `rotateSecret: true` the answer carries the new secret, once; deliveries from then on are signed with it.',
		pathParams: hook,
		body: updateWebhookBody,
		example: { active: true },
		responses: {
			200: {
				description: 'The hook; with `secret` when it was rotated.',
				schema: webhookWithSecretSchema.or(webhookSchema)
			}
		},
		problems: { 403: notOwner, 404: noHook, 409: archived }
	},
	{
		id: 'deleteWebhook',
		method: 'DELETE',
		path: '/api/v1/webhooks/{id}',
		tag: 'Webhooks',
		summary: 'Delete a webhook',
		description: 'Its queued deliveries and its delivery log go with it.',
		pathParams: hook,
		responses: { 204: { description: 'Deleted.' } },
		problems: { 403: notOwner, 404: noHook }
	},
	{
		id: 'listWebhookDeliveries',
		method: 'GET',
		path: '/api/v1/webhooks/{id}/deliveries',
		tag: 'Webhooks',
		summary: "A webhook's delivery log",
		description:
			'Newest first: state, attempts, the last response status, duration and error, and when a pending delivery is tried next. Finished deliveries are kept `WEBHOOK_LOG_DAYS` days (30).',
		pathParams: hook,
		query: deliveryPageQuery,
		responses: {
			200: { description: 'One page of deliveries.', schema: webhookDeliveryPageSchema }
		},
		problems: { 403: notOwner, 404: noHook }
	},
	{
		id: 'redeliverWebhookDelivery',
		method: 'POST',
		path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver',
		tag: 'Webhooks',
		summary: 'Send a delivery again',
		description:
			'Queues the same event again as a new delivery (behind what the hook already has queued), whatever the first one’s outcome.',
		pathParams: { ...hook, deliveryId: 'The delivery to repeat.' },
		responses: { 202: { description: 'The new delivery, queued.', schema: webhookDeliverySchema } },
		problems: {
			403: notOwner,
			404: 'No such webhook or delivery, or you cannot see its board.',
			409: archived
		}
	}
];
