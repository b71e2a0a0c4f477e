import { expect, test } from './fixtures.ts';
import {
	addCard,
	card,
	close,
	column,
	createBoard,
	expectLive,
	seedBoard,
	visitor
} from './board-helpers.ts';
import { createTask, readBoard } from '../../src/lib/domain/board/index.ts';

test('the board keys: n adds, arrows move the focus, Enter opens, e renames, ? helps', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	await createBoard(ana.page, 'Launch plan');
	await expectLive(ana.page);
	await addCard(ana.page, 'To do', 'Book the venue');
	await addCard(ana.page, 'To do', 'Print the flyers');
	await ana.page.keyboard.press('Escape');
	await addCard(ana.page, 'In progress', 'Write the talk');
	await ana.page.keyboard.press('Escape');
	await expect(ana.page.getByTestId('add-card-form')).toHaveCount(0);
	const { page } = ana;

	// Arrows: down the column, across to the next one, back again.
	await card(page, 'Book the venue').focus();
	await page.keyboard.press('ArrowDown');
	await expect(card(page, 'Print the flyers')).toBeFocused();
	await page.keyboard.press('ArrowRight');
	await expect(card(page, 'Write the talk')).toBeFocused();
	await page.keyboard.press('ArrowLeft');
	await expect(card(page, 'Book the venue')).toBeFocused();
	await page.keyboard.press('ArrowUp');
	await expect(card(page, 'Book the venue')).toBeFocused();

	// n: a new card in the focused card's column.
	await card(page, 'Write the talk').focus();
	await page.keyboard.press('n');
	const newTitle = column(page, 'In progress').getByRole('textbox', {
		name: 'Title of the new card in In progress'
	});
	await expect(newTitle).toBeFocused();
	// The key itself is not typed into the new card's title.
	await expect(newTitle).toHaveValue('');
	await newTitle.fill('Rehearse');
	await newTitle.press('Enter');
	await expect(card(column(page, 'In progress'), 'Rehearse')).toBeVisible();
	await newTitle.press('Escape');

	// Enter opens the focused card.
	await card(page, 'Book the venue').focus();
	await page.keyboard.press('Enter');
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog.getByRole('heading', { name: 'Book the venue' })).toBeVisible();

	// Typing in a field fires no shortcut: these keys only edit the title.
	const title = dialog.getByLabel('Title');
	await expect(title).toBeFocused();
	await title.press('End');
	await title.pressSequentially(' ne?');
	await title.press('Backspace');
	await expect(title).toHaveValue('Book the venue ne');
	await expect(page.getByTestId('add-card-form')).toHaveCount(0);
	await expect(page.getByTestId('shortcut-help')).toHaveCount(0);
	await title.press('Enter');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(card(page, 'Book the venue ne')).toBeFocused();
	await expect(card(page, 'Print the flyers')).toBeVisible();

	// e: opens the card with its title selected, so typing replaces it.
	await page.keyboard.press('e');
	await expect(title).toBeFocused();
	await page.keyboard.type('Book the hall');
	await page.keyboard.press('Enter');
	await page.keyboard.press('Escape');
	await expect(card(column(page, 'To do'), 'Book the hall')).toBeVisible();

	// ?: the help lists the keys, Escape closes it and gives the focus back.
	await expect(card(page, 'Book the hall')).toBeFocused();
	await page.keyboard.press('?');
	const help = page.getByTestId('shortcut-help');
	await expect(help.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
	await expect(help).toContainText('New card in the focused column');
	await expect(help).toContainText('Pick up the focused card');
	await page.keyboard.press('Escape');
	await expect(help).toBeHidden();
	await expect(card(page, 'Book the hall')).toBeFocused();
	await close(ana);
});

test('arrow keys bring a card that is not rendered yet into view in a long column', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const boardId = await createBoard(ana.page, 'Long column');
	await seedBoard(ana, boardId, (doc, ctx) => {
		const todo = readBoard(doc).columns[0]!.id;
		for (let i = 1; i <= 150; i++) createTask(doc, { columnId: todo, title: `Task ${i}.` }, ctx);
	});
	const { page } = ana;
	await expect(card(page, 'Task 1.')).toBeVisible();
	// Only the cards in view are in the page.
	await expect(card(page, 'Task 120.')).toHaveCount(0);

	await card(page, 'Task 1.').focus();
	for (let i = 1; i < 120; i++) await page.keyboard.press('ArrowDown');
	await expect(card(page, 'Task 120.')).toBeFocused();
	await expect(card(page, 'Task 120.')).toBeInViewport();
	await page.keyboard.press('Enter');
	await expect(page.getByTestId('card-dialog').getByLabel('Title')).toHaveValue('Task 120.');
	await close(ana);
});
