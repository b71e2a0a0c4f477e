import type { beforeHandleAwarenessPayload, Extension } from '@hocuspocus/server';
import type { CollabContext } from './Authorization.ts';

/** Largest awareness state accepted per client, serialized; a cursor and an open card fit easily. */
const maxStateBytes = 4096;

const palette = [
	'#e11d48',
	'#7c3aed',
	'#2563eb',
	'#0891b2',
	'#059669',
	'#ca8a04',
	'#ea580c',
	'#db2777'
];

export function colorFor(userId: string): string {
	let hash = 0;
	for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return palette[hash % palette.length]!;
}

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
