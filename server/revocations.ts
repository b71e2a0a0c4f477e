/**
 * Access revocations (member removed, role changed, user disabled, logout) must cut live
 * sockets on every instance, not only the one that served the request: with Redis they are
 * published and each instance closes its own matching connections.
 */
import type { CollabControl } from '#lib/server/context.ts';
import type { Logger } from '#lib/server/log.ts';
import { clusterChannel } from './cluster-channel.ts';
import type { RedisConnections } from './redis-connections.ts';

type Revocation =
	| { kind: 'user'; userId: string; boardId?: string }
	| { kind: 'board'; boardId: string }
	| { kind: 'session'; sessionId: string };

export interface ClusterControl {
	control: CollabControl;
	close(): Promise<void>;
}

export async function clusterControl(
	local: CollabControl,
	options: {
		redis: RedisConnections;
		instanceId: string;
		log: Logger;
		/** Whether revocations from other instances are being heard (cluster-channel.ts). */
		onListening?(listening: boolean): void;
	}
): Promise<ClusterControl> {
	const channel = await clusterChannel<Revocation>({
		...options,
		name: 'tf:revocations',
		deliver(r) {
			if (r.kind === 'user') local.disconnectUser(r.userId, r.boardId);
			else if (r.kind === 'board') local.disconnectBoard(r.boardId);
			else local.disconnectSession(r.sessionId);
		}
	});
	return {
		control: {
			disconnectUser: (userId, boardId) => channel.publish({ kind: 'user', userId, boardId }),
			disconnectBoard: (boardId) => channel.publish({ kind: 'board', boardId }),
			disconnectSession: (sessionId) => channel.publish({ kind: 'session', sessionId }),
			changeBoard: (boardId, actorId, change, options) =>
				local.changeBoard(boardId, actorId, change, options),
			readBoard: (boardId, read) => local.readBoard(boardId, read),
			syncRows: (target) => local.syncRows(target),
			connectionCount: () => local.connectionCount()
		},
		close: () => channel.close()
	};
}
