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
import type { Logger } from '#lib/server/log.ts';
import { boardDocumentName } from '../collab-names.ts';
import { clusterChannel } from '../cluster-channel.ts';

/** The stateless payload clients look for. */
export const boardEventsMessage = JSON.stringify({ type: 'events' });

export interface BoardEventNotifier {
	/** Called with each delivered batch. */
	delivered(events: readonly AuditEvent[]): void;
	close(): Promise<void>;
}

function boardIdsOf(events: readonly AuditEvent[]): string[] {
	return [...new Set(events.flatMap((event) => (event.boardId ? [event.boardId] : [])))];
}

/**
 * `relayStateless`, not `broadcastStateless`: the latter would also publish through the Redis
 * extension, and every instance already hears about the batch on the channel.
 */
function tellLocal(hocuspocus: Hocuspocus, boardIds: readonly string[]): void {
	for (const boardId of boardIds) {
		hocuspocus.documents.get(boardDocumentName(boardId))?.relayStateless(boardEventsMessage);
	}
}

export async function boardEventNotifier(options: {
	hocuspocus: Hocuspocus;
	log: Logger;
	/** Set: instances share delivered batches through Redis. */
	redisUrl: string | null;
	instanceId: string;
}): Promise<BoardEventNotifier> {
	const { hocuspocus, ...rest } = options;
	const channel = await clusterChannel<string[]>({
		...rest,
		name: 'tf:board-events',
		deliver: (boardIds) => tellLocal(hocuspocus, boardIds)
	});
	return {
		delivered(events) {
			const boardIds = boardIdsOf(events);
			// Losing one only delays a panel until the next batch or a reload; the events are stored.
			if (boardIds.length > 0) channel.publish(boardIds);
		},
		close: () => channel.close()
	};
}
