/**
 * `@name` mentions in comment text, matched against the board's members by display name
 * (names may hold spaces, so "@Ana Lopez" is one mention). The server finds whom a comment
 * mentions; the comment box finds the name being typed to suggest members. Pure: no I/O.
 */

export interface Mentionable {
	id: string;
	name: string;
}

const wordChar = /[\p{L}\p{N}_]/u;

/**
 * The members a text mentions, each once. At each `@` the longest member name that follows
 * (case-insensitive, ending at a non-word character) wins, so "Ana" and "Ana Lopez" are told
 * apart; an `@` inside a word (an email address) mentions nobody. A name that is no member's
 * matches nothing: the caller learns nothing about accounts outside the board.
 */
export function findMentions(text: string, members: readonly Mentionable[]): string[] {
	const byLength = members
		.filter((m) => m.name.trim().length > 0)
		.map((m) => ({ id: m.id, name: m.name.toLocaleLowerCase() }))
		.sort((a, b) => b.name.length - a.name.length);
	const lower = text.toLocaleLowerCase();
	const found = new Set<string>();
	for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
		if (at > 0 && wordChar.test(lower[at - 1]!)) continue;
		const match = byLength.find(
			(m) => lower.startsWith(m.name, at + 1) && !wordChar.test(lower[at + 1 + m.name.length] ?? '')
		);
		if (match) found.add(match.id);
	}
	return [...found];
}

/** The `@name` being typed just before the caret: where its `@` is and the text typed after. */
export interface MentionQuery {
	start: number;
	query: string;
}

/** Longest display name a suggestion query follows (longer text after `@` is not a mention). */
const maxQueryLength = 40;

export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
	const before = text.slice(Math.max(0, caret - maxQueryLength - 1), caret);
	const at = before.lastIndexOf('@');
	if (at === -1) return null;
	const start = caret - before.length + at;
	if (start > 0 && wordChar.test(text[start - 1]!)) return null;
	const query = text.slice(start + 1, caret);
	if (query.includes('\n') || query.startsWith(' ')) return null;
	return { start, query };
}

/** Members whose name starts with the query (case-insensitive), then those containing it. */
export function suggestMembers<M extends Mentionable>(
	members: readonly M[],
	query: string,
	limit = 8
): M[] {
	const q = query.toLocaleLowerCase();
	const starts = members.filter((m) => m.name.toLocaleLowerCase().startsWith(q));
	const contains = members.filter(
		(m) => !m.name.toLocaleLowerCase().startsWith(q) && m.name.toLocaleLowerCase().includes(q)
	);
	return [...starts, ...contains].slice(0, limit);
}
