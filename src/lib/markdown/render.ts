/**
 * The one Markdown renderer of the app: comments (rendered on the server, sent as `bodyHtml`)
 * and card descriptions (rendered in the browser from the live text) both go through it, so
 * the two can never disagree about what is safe. A small, safe subset: paragraphs and line
 * breaks, headings (shown small), emphasis, strong, strike, inline code, fenced code blocks,
 * flat bullet and numbered lists, quotes, and links to http(s) and mailto only. Raw HTML is
 * never passed through: every character of the source is escaped, and the only tags in the
 * output are the ones written here.
 */
import { escapeHtml } from './escape.ts';
import { renderInline } from './inline.ts';

const fence = /^ {0,3}(`{3,}|~{3,})/;
// No lazy text before an optional closing run: that backtracks quadratically on long lines of
// spaces (a ReDoS on the server, which renders every comment). The closing run is cut by hand.
const heading = /^ {0,3}(#{1,6})[ \t]+(.*)$/;
const listItem = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/;
const quote = /^ {0,3}>[ \t]?(.*)$/;
const blank = /^[ \t]*$/;
/** A continuation of a list item: indented by two spaces or a tab. */
const indented = /^(?: {2,}|\t)(.*)$/;

function startsBlock(line: string): boolean {
	return fence.test(line) || heading.test(line) || listItem.test(line) || quote.test(line);
}

/** A heading's text without trailing blanks and its optional closing run of `#`. */
function headingText(raw: string): string {
	const text = raw.trimEnd();
	let cut = text.length;
	while (cut > 0 && text[cut - 1] === '#') cut--;
	if (cut === text.length) return text;
	if (cut === 0) return '';
	const before = text[cut - 1];
	return before === ' ' || before === '\t' ? text.slice(0, cut).trimEnd() : text;
}

/** Block structure, then inline rendering of each block's text; returns HTML. */
export function renderMarkdown(source: string): string {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const out: string[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i]!;
		if (blank.test(line)) {
			i++;
			continue;
		}
		const open = fence.exec(line);
		if (open) {
			const marker = open[1]!;
			const closing = new RegExp(
				`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`
			);
			const body: string[] = [];
			i++;
			while (i < lines.length && !closing.test(lines[i]!)) body.push(lines[i++]!);
			i++;
			out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
			continue;
		}
		const title = heading.exec(line);
		if (title) {
			// Shown small (h4–h6): a comment or a card is never a page's outline.
			const level = Math.min(6, 3 + title[1]!.length);
			out.push(`<h${level}>${renderInline(headingText(title[2]!))}</h${level}>`);
			i++;
			continue;
		}
		const item = listItem.exec(line);
		if (item) {
			const ordered = item[1] === undefined;
			const items: string[] = [];
			while (i < lines.length) {
				const next = listItem.exec(lines[i]!);
				if (next && (next[1] === undefined) === ordered) {
					items.push(next[3]!);
					i++;
					continue;
				}
				const more = items.length > 0 && !blank.test(lines[i]!) ? indented.exec(lines[i]!) : null;
				if (!more) break;
				items[items.length - 1] += `\n${more[1]!.trim()}`;
				i++;
			}
			const first = ordered ? Number.parseInt(item[2]!, 10) : 1;
			const tag = ordered ? 'ol' : 'ul';
			const start = ordered && first !== 1 ? ` start="${first}"` : '';
			const body = items.map((text) => `<li>${renderInline(text)}</li>`).join('');
			out.push(`<${tag}${start}>${body}</${tag}>`);
			continue;
		}
		if (quote.test(line)) {
			const quoted: string[] = [];
			for (let q = quote.exec(lines[i] ?? ''); q; q = quote.exec(lines[i] ?? '')) {
				quoted.push(q[1]!);
				i++;
			}
			// One level, its text inline: `>>>>…` a thousand deep must not nest a thousand times.
			out.push(`<blockquote><p>${renderInline(quoted.join('\n').trim())}</p></blockquote>`);
			continue;
		}
		const paragraph: string[] = [];
		while (
			i < lines.length &&
			!blank.test(lines[i]!) &&
			(paragraph.length === 0 || !startsBlock(lines[i]!))
		) {
			paragraph.push(lines[i++]!.trim());
		}
		out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
	}
	return out.join('\n');
}
