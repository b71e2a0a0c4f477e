import { unreadCount } from '$lib/server/notifications/store';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => ({
	user: locals.user,
	// In the first paint, so the bell shows its count before the live stream connects.
	unreadNotifications: locals.user ? await unreadCount(locals.ctx.sql, locals.user.id) : 0
});
