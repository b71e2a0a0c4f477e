/**
 * The stateless message a board's connections get when its activity has new events
 * (`server/events/notify-board.ts` sends it, `BoardState` reads it): `members` when the batch
 * changed who is on the board; `comments` names the cards whose comments changed, with each
 * card's comment count after the batch (null when the batch did not change the count: an
 * edit). One definition for both ends of the wire.
 */

/** Card id → its comment count now, or null when only a comment's text changed. */
export type CommentNews = Record<string, number | null>;

export interface BoardNews {
	events: boolean;
	members: boolean;
	comments: CommentNews;
}

export function boardNewsMessage(membersChanged: boolean, comments: CommentNews = {}): string {
	const message: Record<string, unknown> = { type: 'events' };
	if (membersChanged) message.members = true;
	if (Object.keys(comments).length > 0) message.comments = comments;
	return JSON.stringify(message);
}

/** Only well-formed entries: the message crosses the network. */
function readComments(value: unknown): CommentNews {
	const comments: CommentNews = {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return comments;
	for (const [taskId, count] of Object.entries(value)) {
		if (count === null || (Number.isInteger(count) && (count as number) >= 0)) {
			comments[taskId] = count as number | null;
		}
	}
	return comments;
}

/** What a stateless payload says; anything that is not board news says nothing. */
export function readBoardNews(payload: string): BoardNews {
	try {
		const message = JSON.parse(payload) as {
			type?: unknown;
			members?: unknown;
			comments?: unknown;
		};
		const events = message.type === 'events';
		return {
			events,
			members: events && message.members === true,
			comments: events ? readComments(message.comments) : {}
		};
	} catch {
		return { events: false, members: false, comments: {} };
	}
}
