import {
	isTransactionOrigin,
	type beforeHandleAwarenessPayload,
	type Connection,
	type Document,
	type Extension
} from '@hocuspocus/server';
import { colorFor } from '#lib/domain/colors.ts';
import type { CollabContext } from './Authorization.ts';

/** Largest awareness state accepted per client, serialized; a cursor and an open card fit easily. */
const maxStateBytes = 4096;

/**
 * Client ids one connection may announce. A provider announces one, its document's; a few more
 * leave room for odd clients, and the cap bounds what one socket can add to `owners`.
 */
const maxIdsPerConnection = 4;

/**
 * Which user first announced each awareness client id on a loaded document, kept while the
 * document is loaded (a WeakMap: it goes with the document). Awareness states are keyed by the
 * Yjs client id each client picks, and a higher clock replaces a state: a viewer could send a
 * state under a colleague's id and replace their cursor (the server stamped the viewer's own
 * name on it, but the colleague's presence was gone). Keeping the owner after a disconnect also
 * stops a viewer from taking the id during a colleague's reconnection. The same user may reuse
 * an id (a reconnecting tab keeps its document's).
 */
const owners = new WeakMap<Document, Map<number, string>>();
const announced = new WeakMap<Connection<CollabContext>, Set<number>>();

function mayAnnounce(
	document: Document,
	connection: Connection<CollabContext>,
	userId: string,
	clientId: number
): boolean {
	let byId = owners.get(document);
	if (!byId) owners.set(document, (byId = new Map()));
	const owner = byId.get(clientId);
	if (owner !== undefined && owner !== userId) return false;
	let ids = announced.get(connection);
	if (!ids) announced.set(connection, (ids = new Set()));
	if (!ids.has(clientId)) {
		if (ids.size >= maxIdsPerConnection) return false;
		ids.add(clientId);
	}
	if (owner === undefined) byId.set(clientId, userId);
	return true;
}

/**
 * Presence identity comes from the authenticated connection, never from the client: whatever
 * `user` a client puts in its awareness state is overwritten before anyone sees it, and a state
 * under another user's client id is dropped. States a peer instance relays through Redis were
 * stamped there and are taken as they are.
 */
export class Presence implements Extension {
	extensionName = 'Presence';

	async beforeHandleAwareness({
		context,
		states,
		document,
		connection,
		transactionOrigin
	}: beforeHandleAwarenessPayload<CollabContext>) {
		// Before, these had no context and were all dropped: presence never crossed instances.
		if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') return;
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
				(connection && !mayAnnounce(document, connection, context.user.id, clientId))
			) {
				states.delete(clientId);
				continue;
			}
			state.user = user;
		}
	}
}
