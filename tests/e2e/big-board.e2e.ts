/**
 * A board of 5,000 cards in the browser: columns render only the cards in view, yet every card
 * can be found, dragged, moved with the keyboard and opened. Timings are printed, not asserted
 * (speed is judged from measurements, not by timed tests on a noisy machine).
 */
import type { Page } from '@playwright/test';
import { firstScreenCards } from '../../src/lib/domain/board/index.ts';
import { expect, test } from './fixtures.ts';
import {
	addCard,
	card,
	close,
	column,
	createBoard,
	dragTo,
	expectLive,
	openTimed,
	seedCards,
	timeEdits,
	visitor,
	findCard
} from './board-helpers.ts';

const total = 5000;
// seedCards spreads the cards over To do, In progress, Done and a new Review column.
const perColumn = total / 4;

/**
 * Milliseconds from the next `pointerup` or Enter `keydown` until the card is in `columnTitle`
 * in the DOM and a frame has been drawn: read with `shownMs` afterwards.
 */
async function watchShown(page: Page, title: string, columnTitle: string) {
	await page.evaluate(
		({ title, columnTitle }) => {
			const timing: { start?: number; shown?: number } = {};
			Object.assign(window, { __shown: timing });
			const begin = () => (timing.start ??= performance.now());
			window.addEventListener('pointerup', begin, { capture: true, once: true });
			window.addEventListener('keydown', (event) => event.key === 'Enter' && begin(), {
				capture: true,
				once: true
			});
			const observer = new MutationObserver(() => {
				const there = Array.from(document.querySelectorAll('[data-testid="card"]')).find(
					(element) =>
						element.textContent?.includes(title) &&
						element.closest('[data-testid="column"]')?.querySelector('h2')?.textContent ===
							columnTitle
				);
				if (!there || timing.start === undefined) return;
				observer.disconnect();
				requestAnimationFrame(() => (timing.shown = performance.now()));
			});
			observer.observe(document.body, { subtree: true, childList: true });
		},
		{ title, columnTitle }
	);
}

async function shownMs(page: Page): Promise<number> {
	await page.waitForFunction(
		() => 'shown' in (window as unknown as { __shown: object }).__shown,
		undefined,
		{ timeout: 15_000 }
	);
	return page.evaluate(() => {
		const { start, shown } = (window as unknown as { __shown: Record<string, number> }).__shown;
		return Math.round((shown as number) - (start as number));
	});
}

test('a board of 5000 cards renders only what is in view and every card can still be reached', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const ana = await visitor(browser, 'Ana Lopez');
	const boardId = await createBoard(ana.page, 'Huge board');
	await seedCards(ana, boardId, total);
	await ana.context.tracing.stop();
	await ana.context.tracing.start({ snapshots: false, screenshots: false });
	const page = await ana.context.newPage();
	const timings = await openTimed(page, `/boards/${boardId}`);
	await expectLive(page);
	// Long tasks from here on: while finding, dragging, moving, adding and editing.
	await page.evaluate(() => {
		const longTasks: number[] = [];
		Object.assign(window, { __longTasks: longTasks });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
		}).observe({ type: 'longtask' });
	});

	// The server renders each column's first screen of cards, as hydration then does.
	const html = await (await page.request.get(`/boards/${boardId}`)).text();
	expect(html.match(/data-card-id=/g)?.length).toBe(4 * firstScreenCards);

	const counts = page.getByTestId('column-count');
	await expect(counts).toHaveText([`${perColumn}`, `${perColumn}`, `${perColumn}`, `${perColumn}`]);
	// Screen readers get the sentence (an aria-label on a role-less span was not read).
	await expect(column(page, 'To do').getByTestId('column-count-label')).toHaveText(
		`${perColumn} cards`
	);
	const rendered = await page.locator('[data-card-id]').count();
	const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
	expect(rendered).toBeGreaterThan(0);
	expect(rendered).toBeLessThanOrEqual(300);
	// Every list item says where it stands in the whole column.
	await expect(column(page, 'To do').locator('li[aria-posinset="1"]')).toHaveAttribute(
		'aria-setsize',
		`${perColumn}`
	);

	// A card far down a column: found by name, dragged to the top of another column.
	await findCard(page, 'Card number 4998');
	const far = card(page, 'Card number 4998');
	await expect(far).toBeFocused();
	await expect(far.locator('xpath=..')).toHaveAttribute('aria-posinset', `${Math.ceil(4998 / 4)}`);
	await watchShown(page, 'Card number 4998', 'Done');
	// Done holds cards 3, 7, 11, 15, 19, 23…: dropped on the top half of 23, it comes sixth.
	await dragTo(page, far, card(page, 'Card number 23'), 'top');
	const dropMs = await shownMs(page);
	await expect(card(column(page, 'Done'), 'Card number 4998').locator('xpath=..')).toHaveAttribute(
		'aria-posinset',
		'6'
	);
	await expect(counts).toHaveText([
		`${perColumn}`,
		`${perColumn - 1}`,
		`${perColumn + 1}`,
		`${perColumn}`
	]);
	const find = page.getByRole('combobox', { name: 'Find card' });
	// Thousands match "Card": the status says more than are listed, not the list's length.
	await find.fill('Card');
	await expect(
		page.getByText(/^More than 20 matching cards; the first 20 are listed/)
	).toBeAttached();
	await find.fill('Card number 4998');
	await expect(
		page.getByRole('listbox', { name: 'Matching cards' }).getByRole('option').first()
	).toHaveText(/Card number 4998\s*in Done/);
	await find.press('Escape');

	// A card the filter hides, deep in a long column: the first Enter clears the filter and
	// reaches it (the column's window used to be scrolled by the filtered list, and miss it).
	await page.getByTestId('filter-text').fill('number 12');
	await expect(card(page, 'Card number 3001')).toHaveCount(0);
	await findCard(page, 'Card number 3001');
	await expect(card(page, 'Card number 3001')).toBeFocused();
	await expect(page.getByTestId('filter-text')).toHaveValue('');

	// The keyboard: a card in the middle of To do moves one place down.
	const live = page.getByTestId('live-region');
	await findCard(page, 'Card number 2501');
	const middle = card(page, 'Card number 2501');
	await expect(middle).toBeFocused();
	await page.keyboard.press('Space');
	await expect(live).toHaveText(
		new RegExp(`Picked up card Card number 2501\\. Column To do, position 626 of ${perColumn}\\.`)
	);
	await page.keyboard.press('ArrowDown');
	await expect(live).toHaveText(
		new RegExp(`Card Card number 2501\\. Column To do, position 627 of ${perColumn}\\.`)
	);
	await expect(middle).toBeFocused();
	await page.keyboard.press('Space');
	await expect(live).toHaveText(/Dropped card Card number 2501\. Column To do, position 627/);
	await expect(middle).toBeFocused();
	await expect(middle.locator('xpath=..')).toHaveAttribute('aria-posinset', '627');
	// Scrolled away, its element goes; scrolled back, it is re-created and gets focus again.
	const todoList = column(page, 'To do').locator('[data-card-list]');
	const at = await todoList.evaluate((list) => list.scrollTop);
	await todoList.hover();
	await page.mouse.wheel(0, -at);
	await expect(middle).toHaveCount(0);
	await page.mouse.wheel(0, at);
	await expect(middle).toBeFocused();

	// Adding a card at the end of a long column shows it there.
	const review = column(page, 'Review');
	await review.getByTestId('add-card').click();
	await review.getByRole('textbox').fill('Added at the very end');
	await watchShown(page, 'Added at the very end', 'Review');
	await review.getByRole('textbox').press('Enter');
	const addMs = await shownMs(page);
	await expect(card(review, 'Added at the very end').locator('xpath=..')).toHaveAttribute(
		'aria-posinset',
		`${perColumn + 1}`
	);
	await page.keyboard.press('Escape');

	// Opening a card by name: its dialog shows, and closing it gives focus back to the card.
	await findCard(page, 'Card number 3333', 'Alt+Enter');
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Title')).toHaveValue('Card number 3333');
	await dialog.getByTestId('card-description-edit').click();
	const editMs = await timeEdits(page);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(card(page, 'Card number 3333')).toBeFocused();

	// A pointer held at the bottom edge of a long column scrolls it, faster the longer it is
	// held, so a card can be dropped far down it.
	const progress = column(page, 'In progress').locator('[data-card-list]');
	await progress.evaluate((list) => (list.scrollTop = 0));
	await progress.scrollIntoViewIfNeeded();
	const cardTwo = page.getByRole('article', { name: 'Card number 2', exact: true });
	const list = await progress.boundingBox();
	const second = await cardTwo.boundingBox();
	if (!list || !second) throw new Error('The In progress column is not visible');
	await page.mouse.move(second.x + second.width / 2, second.y + second.height / 2);
	await page.mouse.down();
	await page.mouse.move(second.x + second.width / 2 + 10, second.y + second.height / 2, {
		steps: 3
	});
	await page.mouse.move(list.x + list.width / 2, list.y + list.height - 6, { steps: 8 });
	await progress.evaluate(
		(list) =>
			new Promise<void>((resolve) => {
				const check = () => (list.scrollTop > 20_000 ? resolve() : requestAnimationFrame(check));
				check();
			})
	);
	await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2, { steps: 3 });
	await page.mouse.up();
	const dropped = cardTwo.locator('xpath=..');
	await expect(dropped).toHaveAttribute('aria-posinset', /\d{3,}/);
	await expect(counts.nth(1)).toHaveText(`${perColumn - 1}`);
	// Where it shows is where the drop said it would go, counted over the whole column, and
	// the cards around it follow on.
	const position = Number(await dropped.getAttribute('aria-posinset'));
	await expect(page.getByTestId('live-region')).toHaveText(
		new RegExp(`Moved card Card number 2\\. Column In progress, position ${position} of`)
	);
	await expect(dropped.locator('xpath=preceding-sibling::li[@aria-posinset][1]')).toHaveAttribute(
		'aria-posinset',
		`${position - 1}`
	);

	const longTasks = await page.evaluate(() =>
		(window as unknown as { __longTasks: number[] }).__longTasks.filter((ms) => ms > 50)
	);
	const report = { ...timings, elements, rendered, dropMs, addMs, editMs, longTasks };
	test.info().annotations.push({ type: 'timings', description: JSON.stringify(report) });
	console.log('5000-card board', report);
	await close(ana);
});

test('a card deep-linked on a big board opens its dialog, loaded on demand', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const ana = await visitor(browser, 'Ana Lopez');
	const boardId = await createBoard(ana.page, 'Deep link');
	await addCard(ana.page, 'To do', 'Linked card');
	const taskId = await card(ana.page, 'Linked card').getAttribute('data-card-id');
	await ana.page.goto(`/boards/${boardId}?card=${taskId}`);
	await expectLive(ana.page);
	await expect(ana.page.getByTestId('card-dialog').getByLabel('Title')).toHaveValue('Linked card');
	await close(ana);
});
