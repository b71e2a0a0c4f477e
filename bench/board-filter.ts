/**
 * Filtering a big board in Chromium: opens a board of 5,000 cards (BENCH_CARDS), types into
 * the filter bar key by key and times each keystroke from its keydown to the end of the frame
 * that shows the filtered board (`frameMs`, layout and paint included), and to the end of the
 * script work it set off (`scriptMs`: the input handler and Svelte's update, before layout).
 * Wall-clock figures grow with the machine's load; `cpuMs`, the renderer main thread's CPU
 * time over the keystroke (Chrome's ThreadTime metric), much less so.
 * Prints median, p95 and max of each, and the longest task seen while typing.
 *
 * Needs a build (`npx vite build`) and Debian's Chromium (playwright.config.ts names it).
 * Starts its own app on a throwaway database on 127.0.0.1 (BENCH_PORT, default 4342).
 * Usage: node bench/board-filter.ts [rounds, default 3]
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import config from '../playwright.config.ts';
import { startApp } from '../server/app.ts';
import { readConfig } from '../src/lib/server/config.ts';
import { createLogger } from '../src/lib/server/log.ts';
import { createBoard, openBoard, seedCards, visitor } from '../tests/e2e/board-helpers.ts';
import { open } from '../tests/e2e/fixtures.ts';
import { createTestDatabase } from '../tests/server/support/database.ts';
import { percentile } from './stats.ts';

const cards = Number(process.env.BENCH_CARDS ?? 5000);
const rounds = Number(process.argv[2] ?? 3);
setTimeout(() => {
	console.error('board-filter: gave up after 10 minutes');
	process.exit(1);
}, 10 * 60_000).unref();

/** What is typed each round: narrowing words, a second word, then deleting back to nothing. */
const typed = ['card number 4', ' bulk'];

/** Installs the timers: every keydown on the filter starts a sample, ended twice over. */
function watchKeystrokes(page: Page) {
	return page.evaluate(() => {
		const samples: { scriptMs: number; frameMs: number }[] = [];
		const tasks: number[] = [];
		const w = window as never as { __next: Promise<void>; __arm: () => void };
		let settle = () => {};
		// Returns nothing: `evaluate` would wait for a returned promise.
		w.__arm = () => {
			w.__next = new Promise((resolve) => (settle = resolve));
		};
		Object.assign(window, { __samples: samples, __tasks: tasks });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) tasks.push(entry.duration);
		}).observe({ type: 'longtask' });
		const input = document.querySelector<HTMLInputElement>('[data-testid="filter-text"]')!;
		input.addEventListener(
			'keydown',
			(event) => {
				const start = event.timeStamp;
				const sample = { scriptMs: 0, frameMs: 0 };
				// A task queued now runs after the input event and Svelte's microtask update.
				const channel = new MessageChannel();
				channel.port1.onmessage = () => (sample.scriptMs = performance.now() - start);
				channel.port2.postMessage(null);
				// rAF runs before the frame's layout and paint; a task queued from it runs after.
				requestAnimationFrame(() =>
					setTimeout(() => {
						sample.frameMs = performance.now() - start;
						samples.push(sample);
						settle();
					})
				);
			},
			{ capture: true }
		);
	});
}

/** The renderer main thread's CPU time so far, in ms. */
async function threadTime(cdp: CDPSession): Promise<number> {
	const { metrics } = await cdp.send('Performance.getMetrics');
	return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
}

const cpu: number[] = [];

async function keystroke(page: Page, cdp: CDPSession, key: string) {
	await page.evaluate(() => (window as never as { __arm: () => void }).__arm());
	const before = await threadTime(cdp);
	await page.keyboard.press(key);
	await page.evaluate(() => (window as never as { __next: Promise<void> }).__next);
	cpu.push((await threadTime(cdp)) - before);
}

const db = await createTestDatabase();
const appConfig = readConfig({
	DATABASE_URL: db.url,
	PORT: process.env.BENCH_PORT ?? '4342',
	HOST: '127.0.0.1',
	LOG_LEVEL: 'warn'
});
const app = await startApp({ config: appConfig, log: createLogger(appConfig) });
const browser = await chromium.launch(config.use?.launchOptions);
try {
	const owner = await visitor(browser, 'Bench Owner', { baseURL: app.url });
	await open(owner.page, '/boards');
	const boardId = await createBoard(owner.page, `${cards} cards`);
	await seedCards(owner, boardId, cards);
	const page = await owner.context.newPage();
	await openBoard(page, boardId);
	const total = await page.getByTestId('column-count').allTextContents();
	console.log(`Board of ${cards} cards open; column counts ${total.join(', ')}`);
	await watchKeystrokes(page);
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
	await page.getByTestId('filter-text').focus();
	for (let round = 0; round < rounds; round++) {
		let length = 0;
		for (const text of typed) {
			for (const char of text) {
				await keystroke(page, cdp, char === ' ' ? 'Space' : char);
				length++;
			}
		}
		const shown = await page.getByTestId('filter-status').textContent();
		if (round === 0) console.log(`After typing "${typed.join('')}": ${shown?.trim()}`);
		for (let i = 0; i < length; i++) await keystroke(page, cdp, 'Backspace');
	}
	const { samples, tasks } = await page.evaluate(() => {
		const w = window as never as {
			__samples: { scriptMs: number; frameMs: number }[];
			__tasks: number[];
		};
		return { samples: w.__samples, tasks: w.__tasks };
	});
	const row = (values: number[]) => {
		const sorted = [...values].sort((a, b) => a - b);
		return {
			median: Math.round(percentile(sorted, 50) * 10) / 10,
			p95: Math.round(percentile(sorted, 95) * 10) / 10,
			max: Math.round(Math.max(...values) * 10) / 10
		};
	};
	console.log(`Filter keystrokes on ${cards} cards: ${samples.length} samples (ms)`);
	console.table({
		scriptMs: row(samples.map((s) => s.scriptMs)),
		frameMs: row(samples.map((s) => s.frameMs)),
		cpuMs: row(cpu)
	});
	console.log(`Longest task while typing: ${Math.round(Math.max(0, ...tasks))} ms`);
} finally {
	await browser.close();
	await app.close(3000);
	await db.drop();
}
