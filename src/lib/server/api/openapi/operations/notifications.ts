/** The caller's notifications, their live stream, and system messages from admins. */
import { broadcastBody, markReadBody, notificationPageQuery } from '../../notification-schemas.ts';
import {
	broadcastSchema,
	markReadResultSchema,
	notificationPageSchema
} from '../../response-schemas.ts';
import type { OperationSpec } from '../spec.ts';

export const notificationOperations: OperationSpec[] = [
	{
		id: 'listNotifications',
		method: 'GET',
		path: '/api/v1/notifications',
		tag: 'Notifications',
		summary: 'Your notifications',
		description:
			'Newest first, with the number of unread ones. Kinds: `assigned`, `unassigned`, `completed` (a card you created), `due_soon` (due today), `overdue`, `system` (from an admin).',
		query: notificationPageQuery,
		responses: {
			200: { description: 'One page, and the unread count.', schema: notificationPageSchema }
		}
	},
	{
		id: 'markNotificationsRead',
		method: 'POST',
		path: '/api/v1/notifications/read',
		tag: 'Notifications',
		summary: 'Mark notifications read',
		description:
			'Marks the given notifications (`ids`, 1 to 200) or all of them (`all: true`) read. Ids of other people’s notifications change nothing. Open tabs of the caller update their count.',
		body: markReadBody,
		example: { ids: ['6f1c2f7e-8a51-4c59-9d0b-2b8f4f5f1a10'] },
		responses: {
			200: {
				description: 'How many changed, and the unread count now.',
				schema: markReadResultSchema
			}
		}
	},
	{
		id: 'streamNotifications',
		method: 'GET',
		path: '/api/v1/notifications/stream',
		tag: 'Notifications',
		summary: 'Live notification signals',
		description:
			'Server-sent events for one open tab: `ready` when (re)connected, `new` when a notification arrived, `read` when another tab marked some read. Each says only that something changed: re-read `GET /api/v1/notifications`.',
		responses: {
			200: { description: 'An endless `text/event-stream`.', mediaType: 'text/event-stream' }
		},
		problems: {
			429: 'The caller has 32 streams open on this server already (one per tab is plenty).'
		}
	},
	{
		id: 'sendBroadcast',
		method: 'POST',
		path: '/api/v1/admin/broadcasts',
		tag: 'Admin',
		summary: 'Send a system message',
		description:
			'A notification of kind `system` to every active account, delivered live to open tabs, and an audit event `system.broadcast`.',
		body: broadcastBody,
		example: { title: 'Maintenance at 18:00 UTC', body: 'Expect a minute of reconnecting.' },
		responses: { 201: { description: 'Sent.', schema: broadcastSchema } },
		problems: { 403: 'The caller is not an admin.' }
	}
];
