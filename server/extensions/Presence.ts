import type {
	beforeHandleAwarenessPayload,
	Connection,
	Document,
	Extension
} from '@hocuspocus/server';
import { colorFor } from '#lib/domain/colors.ts';
import type { CollabContext } from './Authorization.ts';

/** Largest awareness state accepted per client, serialized; a cursor and an open card fit easily. */
const maxStateBytes = 4096;

/**
 * Whether another user's connection to this document announced `clientId`. Awareness states are
 * keyed by the Yjs client id each client picks, and a higher clock replaces a state: a viewer
 * could send a state under a colleague's id and replace their cursor (the server stamped the
 * viewer's own name on it, but the colleague's presence was gone). The same user may take an id
 * over, as a reconnecting tab does while its old socket is not closed yet. Visits the other
 * connections only for an id this connection has not announced before (once per client).
 */
function claimedByAnother(
	document: Document,
	connection: Connection<CollabContext>,
	userId: string,
	clientId: number
): boolean {
	if (document.getClients(connection).has(clientId)) return false;
	for (const [other, { clients }] of document.connections) {
		if (other !== connection && clients.has(clientId)) {
			if ((other.context as CollabContext | undefined)?.user?.id !== userId) return true;
		}
	}
	return false;
}

/**
 * Presence identity comes from the authenticated connection, never from the client: whatever
 * `user` a client puts in its awareness state is overwritten before anyone sees it, and a state
 * under another user's client id is dropped.
 */
export class Presence implements Extension {
	extensionName = 'Presence';

	async beforeHandleAwareness({
		context,
		states,
		document,
		connection
	}: beforeHandleAwarenessPayload<CollabContext>) {
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
			if (
				JSON.stringify(state).length > maxStateBytes ||
				(connection && claimedByAnother(document, connection, context.user.id, clientId))
			) {
				states.delete(clientId);
				continue;
			}
			state.user = user;
		}
	}
}
