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

/**
 * Owners kept per document before those no longer present are let go: a board someone always
 * has open never unloads, and each connection adds up to `maxIdsPerConnection`.
 */
const maxOwners = 10_000;

/** Whether `userId` may hold `clientId` on `document`; records it as the owner if none is. */
function claim(document: Document, userId: string, clientId: number): boolean {
	let byId = owners.get(document);
	if (!byId) owners.set(document, (byId = new Map()));
	const owner = byId.get(clientId);
	if (owner !== undefined) return owner === userId;
	if (byId.size >= maxOwners) {
		const present = document.awareness.getStates();
		for (const id of byId.keys()) if (!present.has(id)) byId.delete(id);
	}
	byId.set(clientId, userId);
	return true;
}

function mayAnnounce(
	document: Document,
	connection: Connection<CollabContext>,
	userId: string,
	clientId: number
): boolean {
	const byId = owners.get(document);
	const owner = byId?.get(clientId);
	if (owner !== undefined && owner !== userId) return false;
	let ids = announced.get(connection);
	if (!ids) announced.set(connection, (ids = new Set()));
	if (!ids.has(clientId)) {
		if (ids.size >= maxIdsPerConnection) return false;
		ids.add(clientId);
	}
	return claim(document, userId, clientId);
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
		// Relayed by a peer instance, whose Presence stamped them: kept (before, they had no context
		// and were all dropped, so presence never crossed instances), but only under an id their
		// user may hold here too, or a viewer on another instance could take a colleague's.
		if (isTransactionOrigin(transactionOrigin) && transactionOrigin.source === 'redis') {
			for (const [clientId, state] of states) {
				const userId = (state.user as { id?: unknown } | undefined)?.id;
				if (typeof userId !== 'string' || !claim(document, userId, clientId)) {
					states.delete(clientId);
				}
			}
			return;
		}
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
