/**
 * The stateless message a board's connections get when its activity has new events
 * (`server/events/notify-board.ts` sends it, `BoardState` reads it): `members` when the batch
 * changed who is on the board. One definition for both ends of the wire.
 */
export function boardNewsMessage(membersChanged: boolean): string {
	return JSON.stringify(membersChanged ? { type: 'events', members: true } : { type: 'events' });
}

/** What a stateless payload says; anything that is not board news says nothing. */
export function readBoardNews(payload: string): { events: boolean; members: boolean } {
	try {
		const message = JSON.parse(payload) as { type?: unknown; members?: unknown };
		const events = message.type === 'events';
		return { events, members: events && message.members === true };
	} catch {
		return { events: false, members: false };
	}
}
