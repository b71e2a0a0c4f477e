import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { createWebhookBody, literalTargetProblem } from '$lib/server/api/webhook-schemas';
import { getBoardWithRole, isUuid } from '$lib/server/boards';
import { fieldErrors } from '$lib/server/http/body';
import { unstorableErrors } from '$lib/server/http/storable';
import {
	createHook,
	deleteHook,
	deliveryPage,
	getHook,
	hookCount,
	listHooks,
	maxHooksPerScope,
	redeliver,
	updateHook
} from '$lib/server/webhooks/store';
import { webhookEventGroups } from '$lib/server/webhooks/event-types';
import { canManageBoard, canReadBoard } from '$lib/domain/policy';
import type { Actions, PageServerLoad } from './$types';

/** The board, if the signed-in user may manage its webhooks; 404 or 403 otherwise. */
async function managedBoard(event: RequestEvent) {
	const user = event.locals.user;
	if (!user) redirect(303, `/login?redirectTo=${encodeURIComponent(event.url.pathname)}`);
	const found = await getBoardWithRole(event.locals.ctx.sql, event.params.id ?? '', user.id);
	if (!found || !canReadBoard(user, found.role)) error(404, 'Board not found');
	if (!canManageBoard(user, found.role)) error(403, 'Only the board’s owners manage its webhooks.');
	return { user, board: found.board };
}

const archived = 'This board is archived: restore it before changing its webhooks.';

/** A hook of this board, named by the form's `id`. */
async function formHook(event: RequestEvent, boardId: string, data: FormData) {
	const id = data.get('id');
	const hook =
		typeof id === 'string' && isUuid(id) ? await getHook(event.locals.ctx.sql, id) : null;
	return hook && hook.board_id === boardId ? hook : null;
}

export const load: PageServerLoad = async (event) => {
	const { board } = await managedBoard(event);
	const { sql } = event.locals.ctx;
	const hooks = await listHooks(sql, board.id, maxHooksPerScope, null);
	const wanted = event.url.searchParams.get('hook');
	const selected = hooks.items.find((h) => h.id === wanted) ?? hooks.items[0] ?? null;
	return {
		board: { id: board.id, title: board.title },
		hooks: hooks.items,
		groups: [...webhookEventGroups],
		selected: selected?.id ?? null,
		deliveries: selected ? (await deliveryPage(sql, selected.id, 50, null)).items : []
	};
};

export const actions: Actions = {
	create: async (event) => {
		const { user, board } = await managedBoard(event);
		if (board.archived_at !== null) return fail(409, { problem: archived });
		const data = await event.request.formData();
		const url = String(data.get('url') ?? '');
		const events = data.getAll('events').map(String);
		const unstorable = unstorableErrors({ url });
		if (unstorable) return fail(400, { url, fields: unstorable });
		const parsed = createWebhookBody.safeParse({ url, events });
		if (!parsed.success) return fail(400, { url, fields: fieldErrors(parsed.error) });
		const refused = literalTargetProblem(
			parsed.data.url,
			event.locals.ctx.config.webhookAllowPrivate
		);
		if (refused) return fail(400, { url, fields: { url: refused } });
		const { sql } = event.locals.ctx;
		if ((await hookCount(sql, board.id)) >= maxHooksPerScope) {
			return fail(409, {
				url,
				fields: { url: `A board has at most ${maxHooksPerScope} webhooks.` }
			});
		}
		const hook = await createHook(sql, { boardId: board.id, createdBy: user.id, ...parsed.data });
		if (!hook) return fail(403, { url, problem: 'You no longer manage this board.' });
		return { secret: { hookId: hook.id, url: hook.url, value: hook.secret } };
	},
	toggle: async (event) => {
		const { board } = await managedBoard(event);
		if (board.archived_at !== null) return fail(409, { problem: archived });
		const data = await event.request.formData();
		const hook = await formHook(event, board.id, data);
		if (!hook) return fail(404, { problem: 'That webhook no longer exists.' });
		const toggled = await updateHook(event.locals.ctx.sql, hook.id, {
			active: !hook.active,
			by: event.locals.user!.id
		});
		if (!toggled) {
			// Gone, or the caller lost the right to manage it since the check above.
			return (await getHook(event.locals.ctx.sql, hook.id))
				? fail(403, { problem: 'You no longer manage this board’s webhooks.' })
				: fail(404, { problem: 'That webhook no longer exists.' });
		}
		if (!hook.active) event.locals.ctx.webhooks?.wake();
		return { toggled: true };
	},
	rotate: async (event) => {
		const { board } = await managedBoard(event);
		if (board.archived_at !== null) return fail(409, { problem: archived });
		const hook = await formHook(event, board.id, await event.request.formData());
		if (!hook) return fail(404, { problem: 'That webhook no longer exists.' });
		const rotated = await updateHook(event.locals.ctx.sql, hook.id, { rotateSecret: true });
		if (!rotated || !('secret' in rotated))
			return fail(404, { problem: 'That webhook no longer exists.' });
		return { secret: { hookId: hook.id, url: hook.url, value: rotated.secret } };
	},
	delete: async (event) => {
		const { board } = await managedBoard(event);
		const hook = await formHook(event, board.id, await event.request.formData());
		if (!hook) return fail(404, { problem: 'That webhook no longer exists.' });
		await deleteHook(event.locals.ctx.sql, hook.id);
		return { deleted: true };
	},
	redeliver: async (event) => {
		const { board } = await managedBoard(event);
		if (board.archived_at !== null) return fail(409, { problem: archived });
		const data = await event.request.formData();
		const hook = await formHook(event, board.id, data);
		const deliveryId = String(data.get('deliveryId') ?? '');
		const delivery = hook ? await redeliver(event.locals.ctx.sql, hook.id, deliveryId) : null;
		if (!delivery) return fail(404, { problem: 'That delivery no longer exists.' });
		event.locals.ctx.webhooks?.wake();
		return { redelivered: delivery.id };
	}
};
