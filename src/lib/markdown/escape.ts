/**
 * The only two ways text reaches the HTML the renderer writes: escaped as text, or as a link
 * target that passed `safeHref`. Pure, so the browser and the server share it.
 */
const entities: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Text as HTML text or attribute value: nothing in it can open a tag or leave an attribute. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** Longer link targets are shown as text: no real page needs one, a payload might. */
export const maxHrefLength = 2048;

/**
 * The link target if it may become a link: `http(s)://host…` or `mailto:who@where` only, with
 * no whitespace, control characters, quotes or angle brackets anywhere. Browsers drop tabs and
 * newlines inside a scheme (`java\tscript:`), so refusing those characters outright is what
 * keeps the scheme check honest; entities are never decoded (`&#106;avascript:` is no scheme).
 */
export function safeHref(raw: string): string | null {
	const url = raw.trim();
	if (url.length === 0 || url.length > maxHrefLength) return null;
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029<>"'`\\]/.test(url)) return null;
	if (/^https?:\/\/[^/?#.]/i.test(url)) return url;
	if (/^mailto:[^@/?#]+@[^@/?#]+$/i.test(url)) return url;
	return null;
}
