import type { beforeHandleAwarenessPayload, Extension } from '@hocuspocus/server';
import { colorFor } from '#lib/domain/colors.ts';
import type { CollabContext } from './Authorization.ts';

/** Largest awareness state accepted per client, serialized; a cursor and an open card fit easily. */
const maxStateBytes = 4096;

/**
 * Presence identity comes from the authenticated connection, never from the client: whatever
 * `user` a client puts in its awareness state is overwritten before anyone sees it.
 */
export class Presence implements Extension {
	extensionName = 'Presence';

	async beforeHandleAwareness({ context, states }: beforeHandleAwarenessPayload<CollabContext>) {
		if (!context?.user) {
			states.clear();
			return;
		}
		const user = {
			id: context.user.id,
			name: context.user.name,
			color: colorFor(context.user.id),
			readOnly: context.role !== 'owner' && context.role !== 'editor'
		};
		for (const [clientId, state] of states) {
			if (JSON.stringify(state).length > maxStateBytes) {
				states.delete(clientId);
				continue;
			}
			state.user = user;
		}
	}
}
