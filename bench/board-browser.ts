/**
 * Big boards in the browser: opens boards of 7, 1,000 and 5,000 cards in Chromium and times the
 * first byte, the first paint, the moment the board is live and editable, a keyboard drop and
 * an added card, with the page's size, element count and heap; then, in Node, creating 1,000 and
 * 5,000 cards one by one. Prints one table.
 *
 * Needs a build (`npx vite build`) and Debian's Chromium (playwright.config.ts names it).
 * Starts its own app on a throwaway database on 127.0.0.1 (BENCH_PORT, default 4341).
 * Usage: node bench/board-browser.ts [runs per board, default 1] [--lighthouse]
 * With --lighthouse it also runs Lighthouse's performance category (desktop and mobile) on the
 * 1,000- and 5,000-card boards, fetched through npx (npm registry) on first use.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import * as Y from 'yjs';
import config from '../playwright.config.ts';
import { startApp } from '../server/app.ts';
import { readConfig } from '../src/lib/server/config.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { createTask, initBoard, readBoard } from '../src/lib/domain/board/index.ts';
import { createBoard, openTimed, seedCards, visitor } from '../tests/e2e/board-helpers.ts';
import { open } from '../tests/e2e/fixtures.ts';
import { createTestDatabase } from '../tests/server/support/database.ts';
import { median } from './stats.ts';

const sizes = (process.env.BENCH_SIZES ?? '7,1000,5000').split(',').map(Number);
const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 1);
const withLighthouse = process.argv.includes('--lighthouse');
// Bounded: a hang (a board that never gets live) ends the run instead of holding the machine.
setTimeout(() => {
	console.error('board-browser: gave up after 20 minutes');
	process.exit(1);
}, 20 * 60_000).unref();

type Row = Record<string, number>;

/** Milliseconds of long tasks (over 50 ms), recorded from the start of every page. */
function watchLongTasks(page: Page) {
	return page.addInitScript(() => {
		const tasks: { start: number; duration: number }[] = [];
		Object.assign(window, { __longTasks: tasks });
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	});
}

/**
 * Arms an observer for `done` (a condition on the DOM, checked after each mutation) and
 * resolves, inside the page, with the milliseconds from the next `key` keydown to the frame
 * after `done` held. Returns the promise's handle: await `settled(page)` after pressing.
 */
async function armEdit(
	page: Page,
	key: string,
	done: { cardId: string; notInColumn: number } | { title: string }
) {
	await page.evaluate(
		([key, done]) => {
			const w = window as unknown as { __edit: Promise<number> };
			w.__edit = new Promise((resolve) => {
				let start = 0;
				document.addEventListener(
					'keydown',
					(event) => {
						if (event.key === key) start = event.timeStamp;
					},
					{ capture: true }
				);
				const columns = () => Array.from(document.querySelectorAll('[data-testid="column"]'));
				const holds = (added: Node[]): boolean => {
					if ('title' in done) {
						return added.some(
							(node) =>
								node instanceof Element &&
								(node.matches('[data-testid="card"]')
									? [node]
									: Array.from(node.querySelectorAll('[data-testid="card"]'))
								).some((card) => card.textContent?.includes(done.title))
						);
					}
					const card = document.querySelector(`[data-card-id="${done.cardId}"]`);
					const column = card?.closest('[data-testid="column"]');
					return (
						!!card &&
						!!column &&
						!card.classList.contains('lifted') &&
						columns().indexOf(column) !== done.notInColumn
					);
				};
				const observer = new MutationObserver((records) => {
					if (!start) return;
					if (!holds(records.flatMap((r) => Array.from(r.addedNodes)))) return;
					observer.disconnect();
					requestAnimationFrame(() => resolve(performance.now() - start));
				});
				observer.observe(document.body, { subtree: true, childList: true, attributes: true });
			});
		},
		[key, done] as const
	);
}

const settled = (page: Page) =>
	page.evaluate(() => (window as unknown as { __edit: Promise<number> }).__edit);

/** Moves card `title` one column right with the keyboard; ms from the drop key to its frame. */
async function timeDrop(page: Page, title: string): Promise<number> {
	const { id, column } = await page.evaluate((title) => {
		const heading = Array.from(document.querySelectorAll('[id^="title-"]')).find(
			(el) => el.textContent?.trim() === title
		);
		const card = heading?.closest('[data-testid="card"]');
		const columns = Array.from(document.querySelectorAll('[data-testid="column"]'));
		return {
			id: card?.getAttribute('data-card-id') ?? '',
			column: columns.indexOf(card?.closest('[data-testid="column"]') as Element)
		};
	}, title);
	if (!id) throw new Error(`No card ${title}`);
	await page.locator(`[data-card-id="${id}"]`).focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await armEdit(page, ' ', { cardId: id, notInColumn: column });
	await page.keyboard.press('Space');
	return settled(page);
}

/** Adds a card at the bottom of the last column; ms from Enter to the frame showing it. */
async function timeAdd(page: Page, title: string): Promise<number> {
	const column = page.getByTestId('column').last();
	await column.getByTestId('add-card').click();
	const input = column.getByTestId('add-card-form').getByRole('textbox');
	await input.fill(title);
	await armEdit(page, 'Enter', { title });
	await input.press('Enter');
	return settled(page);
}

async function measureBoard(page: Page, boardId: string, run: number): Promise<Row> {
	await watchLongTasks(page);
	const timings = await openTimed(page, `/boards/${boardId}`);
	const loaded = await page.evaluate(() => {
		const doc = performance
			.getEntriesByType('resource')
			.filter((e) => e.name.endsWith('/document')) as PerformanceResourceTiming[];
		return {
			elements: document.getElementsByTagName('*').length,
			documentRequests: doc.length,
			documentEndMs: doc[0]?.responseEnd ?? 0,
			documentBytes: doc[0]?.decodedBodySize ?? 0,
			documentSentBytes: doc[0]?.encodedBodySize ?? 0
		};
	});
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('HeapProfiler.collectGarbage');
	await cdp.send('Performance.enable');
	const { metrics } = await cdp.send('Performance.getMetrics');
	await cdp.detach();
	const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;

	const editsFrom = await page.evaluate(() => performance.now());
	// Cards 1 and 5 start at the top of the first column (seedCards deals cards round the
	// columns); a third run moves card 1 on from the second column, where the first left it.
	const dropMs = await timeDrop(page, `Card number ${1 + 4 * (run % 2)}`);
	const addMs = await timeAdd(page, `Bench card ${run}`);
	// The longest task while editing (the bar: none over 50 ms), and, for the record, while
	// opening (decoding and showing a big document is one task today).
	const [loadLongestTaskMs, longestTaskMs] = await page.evaluate((from) => {
		const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] })
			.__longTasks;
		const longest = (keep: (start: number) => boolean) =>
			Math.max(0, ...tasks.filter((t) => keep(t.start)).map((t) => t.duration));
		return [longest((start) => start < from), longest((start) => start >= from)];
	}, editsFrom);
	return {
		firstByteMs: timings.firstByteMs!,
		firstPaintMs: timings.firstPaintMs!,
		editableMs: timings.editable!,
		htmlKb: Math.round(timings.htmlBytes! / 1024),
		htmlSentKb: Math.round(timings.htmlSentBytes! / 1024),
		documentInMs: Math.round(loaded.documentEndMs),
		documentKb: Math.round(loaded.documentBytes / 1024),
		documentSentKb: Math.round(loaded.documentSentBytes / 1024),
		documentRequests: loaded.documentRequests,
		elements: loaded.elements,
		heapMb: Math.round(heap / 1024 / 1024),
		dropMs: Math.round(dropMs),
		addMs: Math.round(addMs),
		longestTaskMs: Math.round(longestTaskMs),
		loadLongestTaskMs: Math.round(loadLongestTaskMs)
	};
}

/** Creating `count` cards one by one, each its own transaction, as people add them. */
function timeCreates(count: number): number {
	const doc = new Y.Doc();
	const ctx = { actorId: '00000000-0000-4000-8000-000000000001' };
	initBoard(doc, { title: 'Bench' }, ctx);
	const columns = readBoard(doc).columns.map((c) => c.id);
	const started = performance.now();
	for (let i = 0; i < count; i++) {
		createTask(doc, { columnId: columns[i % columns.length]!, title: `Card ${i}` }, ctx);
	}
	return Math.round(performance.now() - started);
}

/**
 * Lighthouse's performance score and its main figures for one page, opened with the owner's
 * session cookie, in the same Chromium with the same flags as the rest of the bench.
 */
async function lighthouse(
	context: BrowserContext,
	url: string,
	preset: 'desktop' | 'mobile'
): Promise<Row> {
	const cookie = (await context.cookies(url)).map((c) => `${c.name}=${c.value}`).join('; ');
	const flags = (config.use?.launchOptions?.args ?? []).concat('--headless=new').join(' ');
	const { stdout } = await promisify(execFile)(
		'npx',
		[
			'--yes',
			'lighthouse@12.8.2',
			url,
			'--only-categories=performance',
			// Mobile is Lighthouse's default (no preset flag): a slow phone, CPU slowed 4×.
			...(preset === 'desktop' ? ['--preset=desktop'] : []),
			'--output=json',
			'--output-path=stdout',
			'--quiet',
			`--chrome-flags=${flags}`,
			`--extra-headers=${JSON.stringify({ cookie })}`
		],
		{
			env: { ...process.env, CHROME_PATH: config.use?.launchOptions?.executablePath },
			maxBuffer: 64 * 1024 * 1024,
			timeout: 180_000
		}
	);
	// Kept for reading the details (the LCP element, the long tasks) after the run.
	const saved = join(tmpdir(), `lighthouse-${preset}-${url.split('/').pop()}.json`);
	writeFileSync(saved, stdout);
	console.log(`Lighthouse ${preset} report: ${saved}`);
	const report = JSON.parse(stdout) as {
		categories: { performance: { score: number } };
		audits: Record<string, { numericValue?: number }>;
	};
	const audit = (id: string) => Math.round(report.audits[id]?.numericValue ?? -1);
	return {
		score: Math.round(report.categories.performance.score * 100),
		fcpMs: audit('first-contentful-paint'),
		lcpMs: audit('largest-contentful-paint'),
		tbtMs: audit('total-blocking-time'),
		// A score, not milliseconds: three decimals.
		cls: Math.round((report.audits['cumulative-layout-shift']?.numericValue ?? -1) * 1000) / 1000,
		ttiMs: audit('interactive')
	};
}

const db = await createTestDatabase();
const appConfig = readConfig({
	DATABASE_URL: db.url,
	PORT: process.env.BENCH_PORT ?? '4341',
	HOST: '127.0.0.1',
	LOG_LEVEL: 'warn'
});
const app = await startApp({ config: appConfig, log: createLogger(appConfig) });
const browser = await chromium.launch(config.use?.launchOptions);
try {
	const owner = await visitor(browser, 'Bench Owner', { baseURL: app.url });
	const boards: string[] = [];
	for (const size of sizes) {
		await open(owner.page, '/boards');
		const id = await createBoard(owner.page, `${size} cards`);
		await seedCards(owner, id, size);
		boards.push(id);
	}
	// One unmeasured open first, so every measured one finds the scripts in the cache.
	const warm = await owner.context.newPage();
	await openTimed(warm, `/boards/${boards[0]}`);
	await warm.close();

	const table: Record<string, Row> = {};
	for (const [i, size] of sizes.entries()) {
		const samples: Row[] = [];
		for (let run = 0; run < runs; run++) {
			const page = await owner.context.newPage();
			samples.push(await measureBoard(page, boards[i]!, run));
			await page.close();
		}
		table[`${size} cards`] = Object.fromEntries(
			Object.keys(samples[0]!).map((key) => [key, median(samples.map((s) => s[key]!))])
		);
	}
	const creates = { createTask1000Ms: timeCreates(1000), createTask5000Ms: timeCreates(5000) };
	// One row per measure, one column per board.
	const measures = Object.keys(Object.values(table)[0]!);
	const rows = Object.fromEntries(
		measures.map((m) => [m, Object.fromEntries(Object.entries(table).map(([b, r]) => [b, r[m]]))])
	);
	console.log(`Board in the browser (median of ${runs} run(s) per board; ms, KB, MB):`);
	console.table(rows);
	console.log('createTask one by one in Node (ms):', creates);
	if (withLighthouse) {
		const scores: Record<string, Row> = {};
		for (const [i, size] of sizes.entries()) {
			// The bar is set at 1,000 cards; --lighthouse-all scores every board.
			if (size !== 1000 && !process.argv.includes('--lighthouse-all')) continue;
			for (const preset of ['desktop', 'mobile'] as const) {
				const url = `${app.url}/boards/${boards[i]}`;
				scores[`${size} cards, ${preset}`] = await lighthouse(owner.context, url, preset);
			}
		}
		console.log('Lighthouse, performance category:');
		console.table(scores);
	}
} finally {
	await browser.close();
	await app.close(3000);
	await db.drop();
}
