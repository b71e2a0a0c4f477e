/**
 * Tells open boards that their activity has new events, once the relay has delivered them to
 * the event log (so a client re-reading the feed finds them). The message is a Hocuspocus
 * stateless payload on the board's document; clients re-fetch the first page of the feed.
 *
 * The relaying instance (one cluster-wide) is often not the one holding a board's connections,
 * and Hocuspocus's Redis extension only forwards stateless broadcasts between instances that
 * have the document loaded, so with Redis the board ids go out on a channel of their own and
 * every instance tells its own connections.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import type { AuditEvent } from '#lib/server/events/types.ts';
import { boardNewsMessage, type CommentNews } from '#lib/collab-protocol/board-news.ts';
import type { Logger } from '#lib/server/log.ts';
import { boardDocumentName } from '../collab-names.ts';
import { clusterChannel } from '../cluster-channel.ts';
import type { RedisConnections } from '../redis-connections.ts';

interface BoardNews {
	boardId: string;
	members: boolean;
	comments: CommentNews;
}

export interface BoardEventNotifier {
	/** Called with each delivered batch. */
	delivered(events: readonly AuditEvent[]): void;
	close(): Promise<void>;
}

function newsOf(events: readonly AuditEvent[]): BoardNews[] {
	const news = new Map<string, BoardNews>();
	for (const { boardId, type, payload } of events) {
		if (!boardId) continue;
		const entry = news.get(boardId) ?? { boardId, members: false, comments: {} };
		entry.members ||= type.startsWith('member.');
		if (type.startsWith('comment.') && typeof payload.taskId === 'string') {
			// Events come in commit order and the count was read under the card's row lock, so
			// the batch's last count is the card's count now.
			const count = payload.commentCount;
			entry.comments[payload.taskId] =
				typeof count === 'number' ? count : (entry.comments[payload.taskId] ?? null);
		}
		news.set(boardId, entry);
	}
	return [...news.values()];
}

/**
 * `relayStateless`, not `broadcastStateless`: the latter would also publish through the Redis
 * extension, and every instance already hears about the batch on the channel.
 */
function tellLocal(hocuspocus: Hocuspocus, news: readonly BoardNews[]): void {
	for (const { boardId, members, comments } of news) {
		hocuspocus.documents
			.get(boardDocumentName(boardId))
			?.relayStateless(boardNewsMessage(members, comments));
	}
}

export async function boardEventNotifier(options: {
	hocuspocus: Hocuspocus;
	log: Logger;
	/** Set: instances share delivered batches through Redis. */
	redis: RedisConnections | null;
	instanceId: string;
}): Promise<BoardEventNotifier> {
	const { hocuspocus, ...rest } = options;
	const channel = await clusterChannel<BoardNews[]>({
		...rest,
		name: 'tf:board-events',
		deliver: (news) => tellLocal(hocuspocus, news)
	});
	return {
		delivered(events) {
			const news = newsOf(events);
			// Losing one only delays a panel until the next batch or a reload; the events are stored.
			if (news.length > 0) channel.publish(news);
		},
		close: () => channel.close()
	};
}
