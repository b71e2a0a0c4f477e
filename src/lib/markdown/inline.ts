/**
 * Inline Markdown: `code`, **strong**, *emphasis*, ~~strike~~, [links](https://…), bare
 * https:// links, backslash escapes and line breaks. Everything else is text, escaped. Every
 * search for a closing mark remembers where it failed, so hostile input (thousands of unclosed
 * `*` or `[`) costs linear time instead of quadratic.
 */
import { escapeHtml, maxHrefLength, safeHref } from './escape.ts';

/** Deeper nesting than this is shown as the characters typed. */
const maxDepth = 6;
const punctuation = /[!-/:-@[-`{-~]/;
/** Characters that may start markup; everything between them is text. */
const special = /[\\\n`[hH*_~]/g;
const space = /\s/;
const word = /[\p{L}\p{N}_]/u;

type Mark = '**' | '__' | '*' | '_' | '~~';
const markTags: Record<Mark, string> = {
	'**': 'strong',
	__: 'strong',
	'*': 'em',
	_: 'em',
	'~~': 'del'
};

const linkAttributes = 'rel="nofollow noopener noreferrer" target="_blank"';

function link(href: string, html: string): string {
	return `<a href="${escapeHtml(href)}" ${linkAttributes}>${html}</a>`;
}

function markAt(source: string, i: number): Mark | null {
	const c = source[i];
	const double = source[i + 1] === c;
	if (c === '*') return double ? '**' : '*';
	if (c === '_') return double ? '__' : '_';
	if (c === '~' && double) return '~~';
	return null;
}

/** `find(from)` with its last answer remembered: valid for any later `from` up to that answer. */
function nextFinder(find: (from: number) => number): (from: number) => number {
	let lastFrom = -1;
	let lastAt = -1;
	return (from) => {
		if (lastFrom !== -1 && from >= lastFrom && (lastAt === -1 || from <= lastAt)) return lastAt;
		lastFrom = from;
		lastAt = find(from);
		return lastAt;
	};
}

export function renderInline(source: string): string {
	/** `kind@end` → the smallest start from which a search up to `end` found nothing. */
	const failed = new Map<string, number>();

	function search(kind: string, from: number, end: number, find: (at: number) => number): number {
		const key = `${kind}@${end}`;
		const failedFrom = failed.get(key);
		if (failedFrom !== undefined && from >= failedFrom) return -1;
		const found = find(from);
		if (found === -1 || found >= end) {
			failed.set(key, from);
			return -1;
		}
		return found;
	}

	const escapedAt = (i: number) => {
		let slashes = 0;
		while (source[i - 1 - slashes] === '\\') slashes++;
		return slashes % 2 === 1;
	};

	/** A closing mark: right after text (not space), not inside a word for `_`, not escaped. */
	function closes(mark: Mark, i: number): boolean {
		const before = source[i - 1];
		if (before === undefined || space.test(before) || escapedAt(i)) return false;
		const after = source[i + mark.length] ?? '';
		if (mark.length === 1 && (after === mark || before === mark)) return false;
		return !(mark[0] === '_' && word.test(after));
	}

	function findCloser(mark: Mark, from: number, end: number): number {
		return search(mark, from, end, (at) => {
			for (let i = source.indexOf(mark, at); i !== -1; i = source.indexOf(mark, i + 1)) {
				if (i + mark.length > end) return -1;
				if (closes(mark, i)) return i;
			}
			return -1;
		});
	}

	function findTicks(count: number, from: number, end: number): number {
		const ticks = '`'.repeat(count);
		return search(`code${count}`, from, end, (at) => {
			for (let i = source.indexOf(ticks, at); i !== -1; i = source.indexOf(ticks, i + 1)) {
				if (i + count > end) return -1;
				if (source[i - 1] !== '`' && source[i + count] !== '`') return i;
			}
			return -1;
		});
	}

	// `[[[[…]` and `[a]([a]([a](…` ask where the next `]`, `)` or space is again and again.
	const nextBracket = nextFinder((from) => source.indexOf(']', from));
	const nextParen = nextFinder((from) => source.indexOf(')', from));
	const nextSpace = nextFinder((from) => {
		const spaces = /\s/g;
		spaces.lastIndex = from;
		return spaces.exec(source)?.index ?? -1;
	});

	function render(start: number, end: number, depth: number, inLink: boolean): string {
		let out = '';
		let text = start;
		let i = start;
		const emit = (html: string, from: number, next: number) => {
			out += escapeHtml(source.slice(text, from)) + html;
			i = next;
			text = next;
		};
		while (i < end) {
			// Plain text runs up to the next character that may start something.
			special.lastIndex = i;
			const next = special.exec(source)?.index ?? end;
			if (next > i) {
				i = Math.min(next, end);
				continue;
			}
			const c = source[i]!;
			if (c === '\\' && i + 1 < end && punctuation.test(source[i + 1]!)) {
				emit(escapeHtml(source[i + 1]!), i, i + 2);
			} else if (c === '\n') {
				emit('<br>', i, i + 1);
			} else if (c === '`') {
				let count = 1;
				while (source[i + count] === '`') count++;
				const close = findTicks(count, i + count, end);
				if (close === -1) {
					i += count;
					continue;
				}
				let code = source.slice(i + count, close).replace(/\n/g, ' ');
				// One space each side is padding, unless the span is all spaces (checked by hand: the
				// regex for it backtracks quadratically on long spans).
				if (code.length > 2 && code[0] === ' ' && code.at(-1) === ' ' && code.trim() !== '') {
					code = code.slice(1, -1);
				}
				emit(`<code>${escapeHtml(code)}</code>`, i, close + count);
			} else if (c === '[' && !inLink && depth < maxDepth) {
				const close = nextBracket(i + 1);
				const target = close !== -1 && close < end ? linkTarget(close + 1, end) : null;
				if (!target || close === i + 1) {
					i++;
					continue;
				}
				emit(link(target.href, render(i + 1, close, depth + 1, true)), i, target.next);
			} else if ((c === 'h' || c === 'H') && !inLink && !word.test(source[i - 1] ?? '')) {
				const bare = bareLink(i, end);
				if (!bare) {
					i++;
					continue;
				}
				emit(link(bare, escapeHtml(bare)), i, i + bare.length);
			} else {
				const mark = markAt(source, i);
				const next = source[i + (mark?.length ?? 1)] ?? '';
				const opens =
					mark !== null &&
					depth < maxDepth &&
					next !== '' &&
					!space.test(next) &&
					!(mark[0] === '_' && word.test(source[i - 1] ?? ''));
				const close = opens ? findCloser(mark, i + mark.length + 1, end) : -1;
				if (!mark || close === -1) {
					i += mark?.length ?? 1;
					continue;
				}
				const tag = markTags[mark];
				const inner = render(i + mark.length, close, depth + 1, inLink);
				emit(`<${tag}>${inner}</${tag}>`, i, close + mark.length);
			}
		}
		return out + escapeHtml(source.slice(text, end));
	}

	/** `(url)` right after `]`: the target if it is safe, and where the link ends. */
	function linkTarget(open: number, end: number): { href: string; next: number } | null {
		if (source[open] !== '(') return null;
		const close = nextParen(open + 1);
		const gap = nextSpace(open + 1);
		if (close === -1 || close >= end || (gap !== -1 && gap < close)) return null;
		if (close - open > maxHrefLength + 2) return null;
		const href = safeHref(source.slice(open + 1, close));
		return href ? { href, next: close + 1 } : null;
	}

	/** A bare `http(s)://…` address, without the punctuation that ends a sentence. */
	function bareLink(i: number, end: number): string | null {
		const head = source.slice(i, i + 8).toLowerCase();
		if (!head.startsWith('http://') && !head.startsWith('https://')) return null;
		let stop = i;
		const limit = Math.min(end, i + maxHrefLength);
		while (stop < limit && !space.test(source[stop]!) && source[stop] !== '<') stop++;
		let candidate = source.slice(i, stop);
		candidate = candidate.replace(/[.,:;!?'")\]*_~]+$/, '');
		return safeHref(candidate);
	}

	return render(0, source.length, 0, false);
}
