import { describe, expect, it } from 'vitest';
import { safeHref } from './escape.ts';
import { renderMarkdown } from './render.ts';

const md = renderMarkdown;
const link = (href: string, text: string) =>
	`<a href="${href}" rel="nofollow noopener noreferrer" target="_blank">${text}</a>`;

/** Every tag the renderer may write; anything else in the output is a bug. */
const allowedTags = new Set([
	'p',
	'br',
	'strong',
	'em',
	'del',
	'code',
	'pre',
	'ul',
	'ol',
	'li',
	'a',
	'blockquote',
	'h4',
	'h5',
	'h6'
]);

function tagsOf(html: string): string[] {
	return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
}

describe('renderMarkdown: blocks', () => {
	it('makes paragraphs of text separated by blank lines, and breaks of single newlines', () => {
		expect(md('one\ntwo\n\nthree')).toBe('<p>one<br>two</p>\n<p>three</p>');
		expect(md('windows\r\nline')).toBe('<p>windows<br>line</p>');
		expect(md('')).toBe('');
		expect(md('  \n\n ')).toBe('');
	});

	it('renders bullet and numbered lists, with indented continuation lines', () => {
		expect(md('- a\n- b\n  more')).toBe('<ul><li>a</li><li>b<br>more</li></ul>');
		expect(md('* one\n+ two')).toBe('<ul><li>one</li><li>two</li></ul>');
		expect(md('1. a\n2) b')).toBe('<ol><li>a</li><li>b</li></ol>');
		expect(md('3. c\n4. d')).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
		expect(md('intro\n- a')).toBe('<p>intro</p>\n<ul><li>a</li></ul>');
		expect(md('- a\n1. b')).toBe('<ul><li>a</li></ul>\n<ol><li>b</li></ol>');
	});

	it('renders fenced code blocks verbatim, escaped, unclosed ones to the end', () => {
		expect(md('```js\nconst a = 1 < 2 && **x**;\n```\nafter')).toBe(
			'<pre><code>const a = 1 &lt; 2 &amp;&amp; **x**;</code></pre>\n<p>after</p>'
		);
		expect(md('~~~\n<b>\n')).toBe('<pre><code>&lt;b&gt;\n</code></pre>');
	});

	it('renders headings small and quotes one level deep', () => {
		expect(md('# Title\n### Sub ##')).toBe('<h4>Title</h4>\n<h6>Sub</h6>');
		expect(md('#nospace')).toBe('<p>#nospace</p>');
		expect(md('> said\n> **this**')).toBe(
			'<blockquote><p>said<br><strong>this</strong></p></blockquote>'
		);
		expect(md('>>> deep')).toBe('<blockquote><p>&gt;&gt; deep</p></blockquote>');
	});
});

describe('renderMarkdown: inline', () => {
	it('renders strong, emphasis, strike and code', () => {
		expect(md('**bold** and *it* and __b__ and _i_ and ~~gone~~')).toBe(
			'<p><strong>bold</strong> and <em>it</em> and <strong>b</strong> and <em>i</em> and <del>gone</del></p>'
		);
		expect(md('**bold *and it* too**')).toBe('<p><strong>bold <em>and it</em> too</strong></p>');
		expect(md('use `a <b> **c**` here')).toBe('<p>use <code>a &lt;b&gt; **c**</code> here</p>');
		expect(md('``a ` b``')).toBe('<p><code>a ` b</code></p>');
	});

	it('leaves marks that open or close nothing as text', () => {
		expect(md('2 * 3 * 4')).toBe('<p>2 * 3 * 4</p>');
		expect(md('snake_case_name and __init__')).toBe(
			'<p>snake_case_name and <strong>init</strong></p>'
		);
		expect(md('** not bold **')).toBe('<p>** not bold **</p>');
		expect(md('a `tick')).toBe('<p>a `tick</p>');
		expect(md('\\*not em\\*')).toBe('<p>*not em*</p>');
	});

	it('links http, https and mailto targets, and bare https addresses', () => {
		expect(md('[docs](https://example.com/a?b=1&c=2)')).toBe(
			`<p>${link('https://example.com/a?b=1&amp;c=2', 'docs')}</p>`
		);
		expect(md('[**mail**](mailto:ana@example.com)')).toBe(
			`<p>${link('mailto:ana@example.com', '<strong>mail</strong>')}</p>`
		);
		expect(md('see https://example.com/x.')).toBe(
			`<p>see ${link('https://example.com/x', 'https://example.com/x')}.</p>`
		);
		expect(md('[not a link] (https://x.io)')).toBe(
			`<p>[not a link] (${link('https://x.io', 'https://x.io')})</p>`
		);
	});
});

describe('renderMarkdown: hostile input stays inert', () => {
	const vectors = [
		'<script>alert(1)</script>',
		'<img src=x onerror=alert(1)>',
		'<a href="javascript:alert(1)">x</a>',
		'[x](javascript:alert(1))',
		'[x](JaVaScRiPt:alert(1))',
		'[x]( javascript:alert(1))',
		'[x](java\tscript:alert(1))',
		'[x](data:text/html;base64,PHNjcmlwdD4=)',
		'[x](vbscript:msgbox)',
		'[x](&#106;avascript:alert(1))',
		'[x](https://ok.io"onmouseover="alert(1))',
		"[x](https://ok.io'onmouseover='alert(1))",
		'[x](//evil.example)',
		'[x](https://ok.io/<script>)',
		'<svg/onload=alert(1)>',
		'**<iframe src="https://evil">**',
		'`</code><script>alert(1)</script>`',
		'```\n</code></pre><script>alert(1)</script>\n```',
		'- <b onclick="x()">item</b>',
		'> <style>body{display:none}</style>',
		'# <h1>big</h1>',
		'https://ok.io/"><script>alert(1)</script>',
		'javascript:alert(1)',
		'[x](mailto:a@b.c?body=<x>)',
		'&lt;script&gt; stays as typed'
	];

	it.each(vectors)('%s', (source) => {
		const html = md(source);
		for (const tag of tagsOf(html)) expect(allowedTags).toContain(tag);
		for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
			expect(href).toMatch(/^(https?:\/\/|mailto:)/);
		}
		// No attribute other than the three every link gets and a list's start.
		for (const [, tag, attrs] of html.matchAll(/<([a-z0-9]+)(\s[^>]*)?>/g)) {
			if (attrs === undefined) continue;
			if (tag === 'ol') expect(attrs).toMatch(/^ start="\d+"$/);
			else
				expect(attrs).toMatch(/^ href="[^"]*" rel="nofollow noopener noreferrer" target="_blank"$/);
		}
	});

	it('shows raw HTML as the characters typed', () => {
		expect(md('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
		expect(md('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>');
		expect(md('&amp; "q" \'s\'')).toBe('<p>&amp;amp; &quot;q&quot; &#39;s&#39;</p>');
	});

	it('takes linear time on unclosed marks, brackets and backticks', () => {
		for (const unit of ['*a ', '_a ', '[a ', '`a ', '**a ', '~~a ', '[a](', 'http://']) {
			const source = unit.repeat(Math.ceil(20_000 / unit.length));
			const started = performance.now();
			md(source);
			expect(performance.now() - started, unit).toBeLessThan(250);
		}
	});

	it('stops nesting at a bounded depth', () => {
		const deep = '**'.repeat(2000) + 'x' + '**'.repeat(2000);
		expect(() => md(deep)).not.toThrow();
		expect(() => md('>'.repeat(10_000) + ' x')).not.toThrow();
		expect(() => md('['.repeat(5000) + ']'.repeat(5000))).not.toThrow();
	});
});

describe('safeHref', () => {
	it('accepts http, https and mailto only', () => {
		expect(safeHref('https://example.com')).toBe('https://example.com');
		expect(safeHref(' HTTP://example.com/a ')).toBe('HTTP://example.com/a');
		expect(safeHref('mailto:ana@example.com')).toBe('mailto:ana@example.com');
		for (const bad of [
			'javascript:alert(1)',
			'https://',
			'https:///x',
			'ftp://example.com',
			'mailto:nobody',
			'/relative',
			'https://a b',
			'https://a\u0000b',
			'https://a\u2028b',
			'x'.repeat(3000)
		]) {
			expect(safeHref(bad), bad).toBeNull();
		}
	});
});

describe('cost on hostile lines', () => {
	const timed = (source: string) => {
		const started = performance.now();
		renderMarkdown(source);
		return performance.now() - started;
	};

	it('renders a long heading of blanks, and a long padded code span, in linear time', () => {
		// Quadratic before: about 200 ms for the heading and 80 ms for the code span at 10,000.
		for (const source of [
			'# a' + ' '.repeat(20_000) + 'x',
			'# a' + '\t'.repeat(20_000) + 'x',
			'` ' + 'a'.repeat(20_000) + '`',
			'#' + ' '.repeat(20_000) + '#'.repeat(3) + 'x'
		]) {
			expect(timed(source)).toBeLessThan(50);
		}
	});

	it('still reads closing runs and padding as before', () => {
		expect(renderMarkdown('## Title ##')).toBe('<h5>Title</h5>');
		expect(renderMarkdown('# Title#')).toBe('<h4>Title#</h4>');
		expect(renderMarkdown('# ###')).toBe('<h4></h4>');
		expect(renderMarkdown('` a `')).toBe('<p><code>a</code></p>');
		expect(renderMarkdown('`   `')).toBe('<p><code>   </code></p>');
	});
});
