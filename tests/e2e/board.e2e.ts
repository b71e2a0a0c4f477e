import { expect, test } from './fixtures.ts';
import {
	addCard,
	addMember,
	card,
	close,
	column,
	createBoard,
	dragColumn,
	dragTo,
	expectLive,
	openBoard,
	seedCards,
	findCard,
	touchDrag,
	openTimed,
	timeEdits,
	twoEditors,
	visitor,
	setRole
} from './board-helpers.ts';

test('cards added and dragged by one editor appear live for the other, and survive a reload', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	await expect(ana.page.getByTestId('presence-user')).toHaveCount(2);

	await addCard(ana.page, 'To do', 'Write the announcement');
	await expect(card(column(ben.page, 'To do'), 'Write the announcement')).toBeVisible({
		timeout: 1000
	});

	// Ben drags it with a real pointer into the next column.
	await dragTo(
		ben.page,
		card(ben.page, 'Write the announcement'),
		column(ben.page, 'In progress').locator('[data-card-list]'),
		'top'
	);
	await expect(card(column(ben.page, 'In progress'), 'Write the announcement')).toBeVisible();
	await expect(card(column(ana.page, 'In progress'), 'Write the announcement')).toBeVisible();
	await expect(column(ana.page, 'To do').getByTestId('card')).toHaveCount(0);

	// Reordering within a column: drag the second card above the first.
	await addCard(ana.page, 'In progress', 'Book the venue');
	await dragTo(
		ana.page,
		card(ana.page, 'Book the venue'),
		card(ana.page, 'Write the announcement'),
		'top'
	);
	const inProgress = column(ben.page, 'In progress').getByTestId('card');
	await expect(inProgress).toHaveText([/Book the venue/, /Write the announcement/]);

	// The stored board renders on the server (no flash of an empty board) and after a reload.
	const html = await (await ana.page.request.get(`/boards/${boardId}`)).text();
	expect(html).toContain('Book the venue');
	await ana.page.reload();
	await expectLive(ana.page);
	await expect(column(ana.page, 'In progress').getByTestId('card')).toHaveText([
		/Book the venue/,
		/Write the announcement/
	]);
	await close(ana, ben);
});

test('two people typing in one description at once both keep every character', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Draft the press release');
	const taskId = await card(ana.page, 'Draft the press release').getAttribute('data-card-id');

	await card(ana.page, 'Draft the press release').click();
	await expect(ana.page).toHaveURL(new RegExp(`card=${taskId}`));
	// Ben arrives through a deep link.
	await ben.page.goto(`/boards/${boardId}?card=${taskId}`);
	await expectLive(ben.page);
	const anaText = ana.page.getByTestId('card-description');
	const benText = ben.page.getByTestId('card-description');
	// The description shows rendered until someone starts editing it.
	await ana.page.getByTestId('card-description-edit').click();
	await ben.page.getByTestId('card-description-edit').click();
	await expect(anaText).toBeFocused();
	await expect(benText).toBeFocused();
	await expect(ana.page.getByTestId('dialog-viewers')).toBeVisible();
	await expect(
		ben.page.locator(`[data-card-id="${taskId}"]`).getByTestId('card-viewers')
	).toBeAttached();

	await ana.page.keyboard.type('apple ');
	await ben.page.keyboard.type('berry ');
	await ana.page.keyboard.type('cherry ');
	await ben.page.keyboard.type('damson ');
	// And truly at the same time.
	await Promise.all([
		ana.page.keyboard.type('elder fig ', { delay: 15 }),
		ben.page.keyboard.type('grape honeydew ', { delay: 15 })
	]);

	for (const text of [anaText, benText]) {
		await expect(text).toHaveValue(/apple cherry elder fig /);
		await expect(text).toHaveValue(/berry damson grape honeydew /);
	}
	await expect
		.poll(async () => (await anaText.inputValue()) === (await benText.inputValue()))
		.toBe(true);
	await close(ana, ben);
});

test('a card moves with the keyboard alone and every step is announced', async ({ browser }) => {
	const { ana, ben } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Order badges');
	await ana.page.keyboard.press('Escape');
	const live = ana.page.getByTestId('live-region');

	await card(ana.page, 'Order badges').focus();
	await ana.page.keyboard.press('Space');
	await expect(live).toHaveText(/Picked up card Order badges\. Column To do, position 1 of 1\./);
	await ana.page.keyboard.press('ArrowRight');
	await expect(live).toHaveText(/Card Order badges\. Column In progress, position 1 of 1\./);
	await expect(card(ana.page, 'Order badges')).toBeFocused();
	await ana.page.keyboard.press('Space');
	await expect(live).toHaveText(
		/Dropped card Order badges\. Column In progress, position 1 of 1\./
	);

	await expect(card(column(ana.page, 'In progress'), 'Order badges')).toBeVisible();
	await expect(card(column(ben.page, 'In progress'), 'Order badges')).toBeVisible();

	// Escape puts a lifted card back where it was.
	await card(ana.page, 'Order badges').focus();
	await ana.page.keyboard.press('Space');
	await ana.page.keyboard.press('ArrowRight');
	await ana.page.keyboard.press('Escape');
	await expect(live).toHaveText(/Move cancelled/);
	await expect(card(column(ana.page, 'In progress'), 'Order badges')).toBeVisible();
	await close(ana, ben);
});

test('columns are added, renamed, limited, reordered and deleted', async ({ browser }) => {
	const { ana, ben } = await twoEditors(browser);
	const headings = (page: typeof ana.page) =>
		page.getByTestId('column').getByRole('heading', { level: 2 });

	await ana.page.getByTestId('add-column').click();
	await ana.page.getByLabel('Column title').fill('Review');
	await ana.page.getByLabel('Column title').press('Enter');
	await ana.page.getByLabel('Column title').press('Escape');
	await expect(headings(ben.page)).toHaveText(['To do', 'In progress', 'Done', 'Review']);

	await ana.page.getByRole('button', { name: 'Settings of column Review' }).click();
	const settings = ana.page.getByTestId('column-settings');
	await settings.getByLabel('Title').fill('QA');
	await settings.getByLabel('Card limit (WIP)').fill('0');
	await settings.getByRole('button', { name: 'Save column' }).click();
	await expect(settings.getByText('The limit must be a whole number from 1 to 999')).toBeVisible();
	await settings.getByLabel('Card limit (WIP)').fill('1');
	await settings.getByRole('button', { name: 'Save column' }).click();
	await expect(settings).toBeHidden();
	await addCard(ana.page, 'QA', 'Check the copy');
	await addCard(ana.page, 'QA', 'Check the links');
	await expect(column(ben.page, 'QA')).toHaveAttribute('data-over-limit', 'true');
	await expect(column(ben.page, 'QA').getByTestId('wip-exceeded')).toBeVisible();

	// Keyboard: pick the column up by its handle, move it left, drop it.
	await ana.page.getByRole('button', { name: 'Move column QA' }).focus();
	await ana.page.keyboard.press('Space');
	await ana.page.keyboard.press('ArrowLeft');
	await ana.page.keyboard.press('Space');
	await expect(headings(ben.page)).toHaveText(['To do', 'In progress', 'QA', 'Done']);

	// Pointer: drag it in front of the first column.
	await dragColumn(ana.page, 'QA', 'To do');
	await expect(headings(ben.page)).toHaveText(['QA', 'To do', 'In progress', 'Done']);

	// Deleting asks where the cards go.
	await ana.page.getByRole('button', { name: 'Settings of column QA' }).click();
	await settings.getByLabel('Target column').selectOption({ label: 'Done' });
	await settings.getByRole('button', { name: 'Delete column' }).click();
	await expect(ana.page.getByTestId('live-region')).toHaveText(
		'Column QA deleted; its cards moved to Done.'
	);
	await expect(headings(ben.page)).toHaveText(['To do', 'In progress', 'Done']);
	await expect(column(ben.page, 'Done').getByTestId('card')).toHaveText([
		/Check the copy/,
		/Check the links/
	]);
	await close(ana, ben);
});

test('a card is dragged by touch after a press and hold', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Lopez', {
		hasTouch: true,
		isMobile: true,
		viewport: { width: 900, height: 800 }
	});
	await createBoard(ana.page, 'On the phone');
	await expectLive(ana.page);
	await addCard(ana.page, 'To do', 'Moved with a finger');
	await ana.page.keyboard.press('Escape');
	await touchDrag(
		ana.page,
		card(ana.page, 'Moved with a finger'),
		column(ana.page, 'In progress').locator('[data-card-list]')
	);
	await expect(card(column(ana.page, 'In progress'), 'Moved with a finger')).toBeVisible();
	// The drag did not also open the card.
	await expect(ana.page.getByTestId('card-dialog')).toBeHidden();
	await close(ana);
});

test('a viewer sees changes live but cannot change anything', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const vic = await visitor(browser, 'Vic Stone');
	const boardId = await createBoard(ana.page, 'Read only');
	await addMember(ana.page, boardId, vic.person.email, 'viewer');
	await addCard(ana.page, 'To do', 'Visible to viewers');
	await openBoard(vic.page, boardId);

	await expect(vic.page.getByTestId('read-only-notice')).toBeVisible();
	await expect(vic.page.getByTestId('add-card')).toHaveCount(0);
	await expect(vic.page.getByTestId('add-column')).toHaveCount(0);
	await expect(vic.page.getByRole('button', { name: /^Move column/ })).toHaveCount(0);
	await expect(card(vic.page, 'Visible to viewers')).not.toHaveAttribute('tabindex');

	await addCard(ana.page, 'Done', 'Added while watched');
	await expect(card(column(vic.page, 'Done'), 'Added while watched')).toBeVisible({
		timeout: 1000
	});

	await card(vic.page, 'Visible to viewers').click();
	const dialog = vic.page.getByTestId('card-dialog');
	await expect(dialog.getByLabel('Title')).toBeDisabled();
	await expect(dialog.getByTestId('card-description')).toBeDisabled();
	await expect(dialog.getByTestId('card-description-edit')).toHaveCount(0);
	await expect(dialog.getByLabel('Priority')).toBeDisabled();
	await expect(dialog.getByRole('button', { name: 'Delete card' })).toHaveCount(0);
	await vic.page.keyboard.press('Escape');

	// Promoted while the board is open: the page can edit at once, without a reload (the load
	// said viewer, and only a demotion used to reach an open page).
	await expect(vic.page.locator('.board-header')).toContainText(/You are viewer/i);
	await setRole(ana.page, boardId, vic.person.email, 'editor');
	await expect(vic.page.getByTestId('read-only-notice')).toHaveCount(0);
	await expect(vic.page.locator('.board-header')).toContainText(/You are editor/i);
	await addCard(vic.page, 'To do', 'Added after the promotion');
	await expect(card(column(ana.page, 'To do'), 'Added after the promotion')).toBeVisible();
	// And back: read-only again, live.
	await setRole(ana.page, boardId, vic.person.email, 'viewer');
	await expect(vic.page.getByTestId('read-only-notice')).toBeVisible();
	await expect(vic.page.getByTestId('add-card')).toHaveCount(0);
	await expect(vic.page.locator('.board-header')).toContainText(/You are viewer/i);
	await close(ana, vic);
});

test('refusals are shown next to the field', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Lopez');
	await createBoard(ana.page, 'Validation');
	await expectLive(ana.page);
	const todo = column(ana.page, 'To do');
	await todo.getByTestId('add-card').click();
	await todo.getByRole('textbox').fill('   ');
	await todo.getByRole('textbox').press('Enter');
	await expect(todo.getByText('Enter a title.')).toBeVisible();
	await expect(todo.getByRole('textbox')).toHaveAttribute('aria-invalid', 'true');

	await addCard(ana.page, 'To do', 'Keep my title');
	await card(ana.page, 'Keep my title').click();
	const dialog = ana.page.getByTestId('card-dialog');
	await dialog.getByLabel('Title').fill('');
	await dialog.getByLabel('Title').press('Enter');
	await expect(dialog.getByText('Enter a title.')).toBeVisible();
	await expect(card(ana.page, 'Keep my title')).toBeAttached();
	// Escape closes the dialog and gives focus back to the card.
	await ana.page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(ana.page).not.toHaveURL(/card=/);
	await expect
		.poll(() =>
			ana.page.evaluate(() => document.activeElement?.closest('[data-testid="card"]')?.textContent)
		)
		.toContain('Keep my title');
	await close(ana);
});

test('edits made while offline are kept and synced when the connection returns', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	await ana.context.setOffline(true);
	await expect(ana.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');

	await addCard(ana.page, 'To do', 'Written on the train');
	await expect(ana.page.getByTestId('unsynced-count')).not.toHaveText('0');
	await ben.page.waitForTimeout(500);
	await expect(card(ben.page, 'Written on the train')).toHaveCount(0);

	await ana.context.setOffline(false);
	await expectLive(ana.page);
	await expect(card(column(ben.page, 'To do'), 'Written on the train')).toBeVisible();
	await expect(ana.page.getByTestId('unsynced-count')).toHaveText('0');
	await close(ana, ben);
});

test('a board with 1000 cards opens, edits and stays live', async ({ browser }) => {
	test.setTimeout(120_000);
	const ana = await visitor(browser, 'Ana Lopez');
	const boardId = await createBoard(ana.page, 'Big board');
	await seedCards(ana, boardId, 1000);

	// DOM snapshots of a 30 000-node page would cost more than the app being measured; the
	// trace goes on without them.
	await ana.context.tracing.stop();
	await ana.context.tracing.start({ snapshots: false, screenshots: false });
	const page = await ana.context.newPage();
	const timings = await openTimed(page, `/boards/${boardId}`);
	// Every card is on the board, but the columns render only those in view (big-board.e2e.ts).
	await expect(page.getByTestId('column-count')).toHaveText(['250', '250', '250', '250']);
	expect(await page.getByTestId('card').count()).toBeLessThanOrEqual(300);

	// An edit on a board this size: one input event through to the next frame.
	await page.getByRole('link', { name: 'Card number 7', exact: true }).click();
	await page.getByTestId('card-description-edit').click();
	const editMs = await timeEdits(page);
	await page.keyboard.press('Escape');

	// Still live at this size: a card added in another tab shows up within a second.
	await addCard(ana.page, 'Review', 'Card added on a big board');
	await expect(column(page, 'Review').getByTestId('column-count')).toHaveText('251', {
		timeout: 5000
	});
	// It went to the end of a column scrolled to its top: Find brings it into view.
	await findCard(page, 'Card added on a big board');
	await expect(card(page, 'Card added on a big board')).toBeFocused();
	await expect(card(page, 'Card added on a big board')).toBeInViewport();

	const report = { ...timings, editMs };
	test.info().annotations.push({ type: 'timings', description: JSON.stringify(report) });
	// Printed, not asserted: speed is judged from measurements, not by timed tests on a noisy
	// machine. The test asserts that such a board renders, edits and stays live.
	console.log('1000-card board (ms from navigation start)', report);
	expect(timings.connected).not.toBeNull();
	await close(ana);
});
