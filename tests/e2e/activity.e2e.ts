import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';
import { expect, test } from './fixtures.ts';
import { addCard, card, close, column, seedBoard, twoEditors } from './board-helpers.ts';

// Board events are committed with the debounced store (2 s), then relayed to the log.
const delivered = { timeout: 15_000 };

test('the activity panel shows another editor’s move live, and the card keeps its history', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	const toggle = ana.page.getByTestId('activity-toggle');
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	const panel = ana.page.getByRole('complementary', { name: 'Activity' });
	await expect(panel).toBeVisible();
	const items = panel.getByTestId('activity-item');
	await expect(items.filter({ hasText: 'Ana Lopez added Ben Okafor as editor' })).toBeVisible();
	await expect(
		items.filter({ hasText: "Ana Lopez created the board 'Launch plan'" })
	).toBeVisible();

	// Anything that reloads the page would drop this marker.
	await ana.page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
	await addCard(ana.page, 'To do', 'Fix login');
	await ana.page.keyboard.press('Escape');
	await expect(card(column(ben.page, 'To do'), 'Fix login')).toBeVisible();

	// Ben moves it with the keyboard.
	await card(ben.page, 'Fix login').focus();
	await ben.page.keyboard.press('Space');
	await ben.page.keyboard.press('ArrowRight');
	await ben.page.keyboard.press('Space');
	await expect(card(column(ben.page, 'In progress'), 'Fix login')).toBeVisible();

	const moved = items.filter({
		hasText: "Ben Okafor moved 'Fix login' from To do to In progress"
	});
	await expect(moved).toBeVisible(delivered);
	// Newest first, with the exact time on the relative one.
	await expect(items.first()).toContainText('Ben Okafor moved');
	await expect(moved.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
	await expect(moved.locator('time')).toHaveAttribute('title', /\d/);
	await expect(moved.locator('time')).toHaveText(/just now|min ago/);
	await expect(items.filter({ hasText: "Ana Lopez created 'Fix login' in To do" })).toBeVisible();
	expect(await ana.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

	// The card's own history, in the card dialog.
	await card(ana.page, 'Fix login').click();
	const history = ana.page.getByTestId('card-dialog').getByTestId('card-history');
	await expect(history.getByRole('heading', { name: 'History' })).toBeVisible();
	await expect(history.getByTestId('activity-item')).toHaveText([
		/Ben Okafor moved 'Fix login' from To do to In progress/,
		/Ana Lopez created 'Fix login' in To do/
	]);
	await ana.page.keyboard.press('Escape');
	await expect(ana.page.getByTestId('card-dialog')).toBeHidden();

	// Keyboard: Escape inside the panel closes it and gives focus back to the toggle.
	await panel.getByRole('button', { name: 'Close activity' }).focus();
	await ana.page.keyboard.press('Escape');
	await expect(panel).toBeHidden();
	await expect(toggle).toBeFocused();
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');

	// More than a page of events: "Load more" follows the cursor.
	await ana.page.keyboard.press('Enter');
	await expect(panel).toBeVisible();
	await seedBoard(ana, boardId, (doc, ctx) => {
		const todo = readBoard(doc).columns[0]!.id;
		for (let i = 1; i <= 35; i++) createTask(doc, { columnId: todo, title: `Bulk ${i}` }, ctx);
	});
	await expect(items.filter({ hasText: "created 'Bulk 35'" })).toBeVisible(delivered);
	await expect(items).toHaveCount(30);
	await panel.getByRole('button', { name: 'Load more' }).click();
	await expect(
		items.filter({ hasText: "Ana Lopez created the board 'Launch plan'" })
	).toBeVisible();
	await expect(panel.getByRole('button', { name: 'Load more' })).toBeHidden();
	await close(ana, ben);
});
