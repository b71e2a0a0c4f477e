/**
 * Access revocations (member removed, role changed, user disabled, logout) must cut live
 * sockets on every instance, not only the one that served the request: with Redis they are
 * published and each instance closes its own matching connections.
 */
import { Redis } from 'ioredis';
import type { CollabControl } from '#lib/server/context.ts';
import type { Logger } from '#lib/server/log.ts';

type Revocation =
	| { kind: 'user'; userId: string; boardId?: string }
	| { kind: 'board'; boardId: string }
	| { kind: 'session'; sessionId: string };

const channel = 'tf:revocations';

export interface ClusterControl {
	control: CollabControl;
	close(): Promise<void>;
}

export async function clusterControl(
	local: CollabControl,
	options: { redisUrl: string; instanceId: string; log: Logger }
): Promise<ClusterControl> {
	const pub = new Redis(options.redisUrl);
	const sub = new Redis(options.redisUrl);
	const apply = (r: Revocation) => {
		if (r.kind === 'user') local.disconnectUser(r.userId, r.boardId);
		else if (r.kind === 'board') local.disconnectBoard(r.boardId);
		else local.disconnectSession(r.sessionId);
	};
	sub.on('message', (_channel: string, raw: string) => {
		try {
			const { from, revocation } = JSON.parse(raw) as { from: string; revocation: Revocation };
			if (from !== options.instanceId) apply(revocation);
		} catch (error) {
			options.log.warn({ err: error }, 'ignoring a malformed revocation message');
		}
	});
	await sub.subscribe(channel);
	const publish = (revocation: Revocation) => {
		apply(revocation);
		pub
			.publish(channel, JSON.stringify({ from: options.instanceId, revocation }))
			.catch((error: unknown) => {
				options.log.error(
					{ err: error, revocation },
					'could not publish a revocation to other instances'
				);
			});
	};
	return {
		control: {
			disconnectUser: (userId, boardId) => publish({ kind: 'user', userId, boardId }),
			disconnectBoard: (boardId) => publish({ kind: 'board', boardId }),
			disconnectSession: (sessionId) => publish({ kind: 'session', sessionId }),
			changeBoard: (boardId, actorId, change) => local.changeBoard(boardId, actorId, change),
			syncRows: (target) => local.syncRows(target),
			connectionCount: () => local.connectionCount()
		},
		async close() {
			sub.disconnect();
			pub.disconnect();
		}
	};
}
