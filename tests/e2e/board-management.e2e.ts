/**
 * Board management from the header's Board menu: the menu by keyboard, archiving (confirmed)
 * and restoring from "Your boards", duplicating into a copy with the same cards; a viewer's
 * status badge; the board on a 390 px phone.
 */
import {
	addCard,
	addMember,
	card,
	close,
	column,
	createBoard,
	expectLive,
	openBoard,
	visitor
} from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';

test('the Board menu works by keyboard and Escape returns focus to it', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Keys');
	const { page } = ana;
	await createBoard(page, 'Keyboard plan');
	await expectLive(page);
	const button = page.getByTestId('board-menu');
	await expect(button).toHaveAttribute('aria-haspopup', 'menu');
	await expect(button).toHaveAttribute('aria-expanded', 'false');

	await button.focus();
	await page.keyboard.press('Enter');
	await expect(button).toHaveAttribute('aria-expanded', 'true');
	const items = page.getByRole('menuitem');
	await expect(items).toHaveText([
		'Rename board…',
		'Members…',
		'Recently deleted cards…',
		'Duplicate board…',
		'Export (TaskFlow file)',
		'Export as CSV',
		'Insights',
		'Version history',
		'Archive board…'
	]);
	await expect(items.first()).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await expect(items.nth(1)).toBeFocused();
	await page.keyboard.press('ArrowUp');
	await page.keyboard.press('ArrowUp');
	await expect(items.last()).toBeFocused();
	await page.keyboard.press('Home');
	await expect(items.first()).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(page.getByRole('menu')).toHaveCount(0);
	await expect(button).toBeFocused();

	// ArrowDown opens it too; Enter on an item opens its dialog; closing it returns to the button.
	await page.keyboard.press('ArrowDown');
	await expect(items.first()).toBeFocused();
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('Enter');
	const members = page.getByTestId('members-dialog');
	await expect(members).toBeVisible();
	await expect(members.getByTestId('member-list')).toContainText(ana.person.email);
	await page.keyboard.press('Escape');
	await expect(members).toBeHidden();
	await expect(button).toBeFocused();

	// Rename through its dialog.
	await button.press('Enter');
	await page.keyboard.press('Enter');
	const rename = page.getByTestId('rename-dialog');
	await rename.getByLabel('Title').fill('Keyboard plan v2');
	await rename.getByRole('button', { name: 'Save title' }).click();
	await expect(rename).toBeHidden();
	await expect(page.getByTestId('board-title')).toHaveText('Keyboard plan v2');
	await close(ana);
});

test('an owner archives a board after confirming, finds it under Archived and restores it', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Archive');
	const { page } = ana;
	const boardId = await createBoard(page, 'Old campaign');
	await expectLive(page);
	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Archive board…' }).click();
	const confirm = page.getByTestId('archive-dialog');
	await expect(confirm).toContainText('becomes read-only');
	// Cancelling changes nothing.
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByText('Archived', { exact: true })).toHaveCount(0);

	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Archive board…' }).click();
	await confirm.getByRole('button', { name: 'Archive board' }).click();
	await expect(confirm).toBeHidden();
	await expect(page.locator('.meta .archived')).toHaveText('Archived');
	// Says why: not the viewer's wording, since the owner is looking.
	await expect(page.getByTestId('read-only-notice')).toContainText('This board is archived');

	await open(page, '/boards');
	await expect(page.getByRole('link', { name: 'Old campaign' })).toHaveCount(0);
	await page.getByRole('link', { name: 'Archived' }).click();
	await expect(page).toHaveURL(/\/boards\?view=archived$/);
	const item = page.getByTestId('board-item').filter({ hasText: 'Old campaign' });
	await expect(item).toContainText('Archived');
	await item.getByRole('button', { name: 'Restore Old campaign' }).click();
	await expect(item).toHaveCount(0);

	await page.getByRole('link', { name: 'Active' }).click();
	await page.getByRole('link', { name: 'Old campaign' }).click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	await expectLive(page);
	await expect(page.getByTestId('read-only-notice')).toHaveCount(0);
	await addCard(page, 'To do', 'Writable again');
	await close(ana);
});

test('duplicating a board opens the copy with the same cards', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Copy');
	const { page } = ana;
	const sourceId = await createBoard(page, 'Sprint template');
	await expectLive(page);
	await addCard(page, 'To do', 'Plan the sprint');
	await addCard(page, 'To do', 'Review last sprint');
	await addCard(page, 'In progress', 'Daily standup');

	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Duplicate board…' }).click();
	const dialog = page.getByTestId('duplicate-dialog');
	await expect(dialog.getByLabel('Title of the copy')).toHaveValue('Sprint template (copy)');
	await dialog.getByLabel('Title of the copy').fill('Sprint 12');
	await dialog.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page.getByTestId('board-title')).toHaveText('Sprint 12');
	expect(page.url()).not.toContain(sourceId);
	await expectLive(page);
	await expect(column(page, 'To do').getByTestId('card')).toHaveText([
		/Plan the sprint/,
		/Review last sprint/
	]);
	await expect(card(column(page, 'In progress'), 'Daily standup')).toBeVisible();

	// From "Your boards" too.
	await open(page, '/boards');
	const item = page.getByTestId('board-item').filter({ hasText: 'Sprint 12' });
	await item.getByRole('button', { name: 'Duplicate Sprint 12' }).click();
	await page.getByTestId('duplicate-dialog').getByRole('button', { name: 'Duplicate' }).click();
	await expect(page.getByTestId('board-title')).toHaveText('Sprint 12 (copy)');
	await expect(card(page, 'Daily standup')).toBeVisible();
	await close(ana);
});

test('a viewer’s badge says View only, an editor’s says all changes saved', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Owner');
	const vic = await visitor(browser, 'Vic Viewer');
	const boardId = await createBoard(ana.page, 'Read me');
	await addMember(ana.page, boardId, vic.person.email, 'viewer');
	await expectLive(ana.page);
	await expect(ana.page.getByTestId('connection-status')).toContainText('all changes saved');
	await openBoard(vic.page, boardId);
	const badge = vic.page.getByTestId('connection-status');
	await expect(badge).toContainText('View only');
	await expect(badge).not.toContainText('saved');
	await close(ana, vic);
});

test('a board open when its session ends says so and offers to sign in again', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Away');
	const boardId = await createBoard(ana.page, 'Left open');
	await expectLive(ana.page);
	// Signed out elsewhere (another tab, or the session expired): the server closes the socket
	// and refuses its reconnection.
	const origin = new URL(ana.page.url()).origin;
	const out = await ana.page.request.post('/api/v1/auth/logout', { headers: { origin } });
	expect(out.status()).toBe(204);
	const notice = ana.page.getByTestId('signed-out-notice');
	await expect(notice).toContainText('Your session has ended');
	await expect(ana.page.getByTestId('connection-status')).toContainText('Signed out');
	// An export now is refused, and said so (not saved as the file).
	await ana.page.getByTestId('board-menu').click();
	await ana.page.getByRole('menuitem', { name: 'Export as CSV' }).click();
	await expect(ana.page.getByTestId('export-error')).toContainText(
		'The export could not be downloaded.'
	);
	await notice.getByRole('link', { name: 'Sign in again' }).click();
	await expect(ana.page).toHaveURL(
		new RegExp(`/login\\?redirectTo=${encodeURIComponent(`/boards/${boardId}`)}$`)
	);
	await close(ana);
});

test('on a 390 px phone the header is one row and the first card is in view', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Phone', { viewport: { width: 390, height: 844 } });
	const { page } = ana;
	const name = 'Phone plan with a rather long title that must not wrap';
	await createBoard(page, name);
	await expectLive(page);
	await addCard(page, 'To do', 'First card');
	// Opened from the list, as people do (a reload would restore the scroll of the adding).
	await open(page, '/boards');
	await page.getByRole('link', { name }).click();
	await expectLive(page);
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	// One row: every part of the header shares the title's line.
	const header = page.locator('.board-header');
	const box = (await header.boundingBox())!;
	const title = (await page.getByTestId('board-title').boundingBox())!;
	const menu = (await page.getByTestId('board-menu').boundingBox())!;
	const badge = (await page.getByTestId('connection-status').boundingBox())!;
	for (const part of [menu, badge]) {
		expect(part.y).toBeLessThan(title.y + title.height);
		expect(part.y + part.height).toBeGreaterThan(title.y);
	}
	expect(box.height).toBeLessThan(64);
	// The first card is inside the viewport without scrolling.
	await expect(card(page, 'First card')).toBeInViewport();
	const first = (await card(page, 'First card').boundingBox())!;
	expect(first.y + first.height).toBeLessThanOrEqual(844);
	await close(ana);
});
