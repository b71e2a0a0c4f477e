/**
 * How an edit's title says who sent it and which of its edits it is (`… @@T<seq>:<client>;`),
 * so a receiver can time its arrival from the raw bytes of an update, without decoding it:
 * Yjs stores a map value's string as plain UTF-8.
 */
const mark = Buffer.from('@@T');
const colon = 0x3a;
const semicolon = 0x3b;

/** The title of edit `seq` of client `client`. */
export function stampedTitle(client: number, seq: number): string {
	return `card ${client} edit ${seq} @@T${seq}:${client};`;
}

/**
 * Calls `visit` with the sequence number and sender of every edit stamp in bytes [from, to)
 * of an update (merged broadcasts may hold several) and returns how many were unreadable.
 */
export function stampedEdits(
	data: Buffer,
	from: number,
	to: number,
	visit: (seq: number, sender: number, now: number) => void
): number {
	let at = data.indexOf(mark, from);
	if (at < 0 || at >= to) return 0;
	const now = performance.now();
	let bad = 0;
	while (at >= 0 && at < to) {
		let pos = at + mark.length;
		let seq = 0;
		let byte = data[pos]!;
		while (byte >= 0x30 && byte <= 0x39) {
			seq = seq * 10 + (byte - 0x30);
			byte = data[++pos]!;
		}
		let sender = 0;
		if (byte === colon) {
			byte = data[++pos]!;
			while (byte >= 0x30 && byte <= 0x39) {
				sender = sender * 10 + (byte - 0x30);
				byte = data[++pos]!;
			}
		}
		if (byte === semicolon) visit(seq, sender, now);
		else bad++;
		at = data.indexOf(mark, pos);
	}
	return bad;
}
