import { expect, test } from './fixtures.ts';
import { addCard, card, close, column, twoEditors } from './board-helpers.ts';

test("Ctrl+Z undoes only my own change: my move goes back, the other editor's title stays", async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	const undo = ana.page.getByRole('button', { name: 'Undo', exact: true });
	const redo = ana.page.getByRole('button', { name: 'Redo', exact: true });
	await expect(undo).toBeDisabled();
	await expect(undo).toHaveAttribute('title', 'Undo your last change (Ctrl+Z)');

	await addCard(ana.page, 'To do', 'Order badges');
	await ana.page.keyboard.press('Escape');
	await expect(card(column(ben.page, 'To do'), 'Order badges')).toBeVisible();

	// Ana moves the card with the keyboard (one step)…
	await card(ana.page, 'Order badges').focus();
	await ana.page.keyboard.press('Space');
	await ana.page.keyboard.press('ArrowRight');
	await ana.page.keyboard.press('Space');
	await expect(card(column(ben.page, 'In progress'), 'Order badges')).toBeVisible();

	// …then Ben renames it.
	await card(ben.page, 'Order badges').click();
	const title = ben.page.getByTestId('card-dialog').getByLabel('Title');
	await title.fill('Order 200 badges');
	await title.press('Enter');
	await ben.page.keyboard.press('Escape');
	await expect(card(column(ana.page, 'In progress'), 'Order 200 badges')).toBeVisible();

	// Ana's undo takes back her move only.
	await expect(card(ana.page, 'Order 200 badges')).toBeFocused();
	await ana.page.keyboard.press('Control+z');
	for (const page of [ana.page, ben.page]) {
		await expect(card(column(page, 'To do'), 'Order 200 badges')).toBeVisible();
		await expect(column(page, 'In progress').getByTestId('card')).toHaveCount(0);
	}

	// Redo with the keys, then undo and redo with the buttons.
	await expect(redo).toBeEnabled();
	await ana.page.keyboard.press('Control+Shift+z');
	await expect(card(column(ben.page, 'In progress'), 'Order 200 badges')).toBeVisible();
	await undo.click();
	await expect(card(column(ben.page, 'To do'), 'Order 200 badges')).toBeVisible();
	await ana.page.keyboard.press('Control+y');
	await expect(card(column(ben.page, 'In progress'), 'Order 200 badges')).toBeVisible();
	await expect(card(column(ana.page, 'In progress'), 'Order 200 badges')).toBeVisible();
	await close(ana, ben);
});

test('deleting a card shows an Undo toast that brings it back; undoing an add deletes softly', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Book the venue');
	await addCard(ana.page, 'To do', 'Print the flyers');
	await ana.page.keyboard.press('Escape');

	// Delete with the keyboard: the toast says so and offers it back.
	await card(ana.page, 'Book the venue').focus();
	await ana.page.keyboard.press('Delete');
	await expect(card(ben.page, 'Book the venue')).toHaveCount(0);
	const toast = ana.page.getByTestId('undo-toast');
	await expect(toast).toContainText('Deleted card “Book the venue”');
	await expect(ana.page.getByRole('status').filter({ has: toast })).toHaveCount(1);
	// The focus stays on the board, on the next card.
	await expect(card(ana.page, 'Print the flyers')).toBeFocused();

	await toast.getByRole('button', { name: 'Undo deleting Book the venue' }).click();
	await expect(toast).toBeHidden();
	await expect(card(column(ben.page, 'To do'), 'Book the venue')).toBeVisible();
	await expect(card(column(ana.page, 'To do'), 'Book the venue')).toBeVisible();

	// Deleting from the card dialog shows it too; left alone, it goes after a few seconds.
	await card(ana.page, 'Print the flyers').click();
	await ana.page.getByRole('button', { name: 'Delete card' }).click();
	await ana.page.keyboard.press('Escape');
	await expect(toast).toContainText('Deleted card “Print the flyers”');
	await expect(toast).toBeHidden({ timeout: 15_000 });
	// Ctrl+Z still brings it back afterwards.
	await ana.page.keyboard.press('Control+z');
	await expect(card(column(ben.page, 'To do'), 'Print the flyers')).toBeVisible();

	// Undoing an add soft-deletes the card (the server refuses removals: the socket would close).
	await addCard(ana.page, 'Done', 'Oops');
	await ana.page.keyboard.press('Escape');
	await expect(card(column(ben.page, 'Done'), 'Oops')).toBeVisible();
	await ana.page.keyboard.press('Control+z');
	await expect(card(ben.page, 'Oops')).toHaveCount(0);
	// Among the recently deleted cards (in the Board menu).
	await ben.page.getByTestId('board-menu').click();
	await ben.page.getByRole('menuitem', { name: 'Recently deleted cards…' }).click();
	await expect(ben.page.getByTestId('deleted-cards')).toContainText('Oops');
	await ben.page.keyboard.press('Escape');
	await expect(ben.page.getByTestId('deleted-dialog')).toBeHidden();
	await ana.page.keyboard.press('Control+Shift+z');
	await expect(card(column(ben.page, 'Done'), 'Oops')).toBeVisible();
	await expect(ana.page.getByTestId('connection-status')).toHaveAttribute(
		'data-status',
		'connected'
	);
	await close(ana, ben);
});

test('Ctrl+Z in the description undoes a burst of typing as one step, for everyone', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Write notes');
	await ana.page.keyboard.press('Escape');
	await card(ana.page, 'Write notes').click();
	const text = ana.page.getByTestId('card-description');
	// The description shows rendered until someone starts editing it.
	await ana.page.getByTestId('card-description-edit').click();
	await text.click();
	await text.pressSequentially('First idea');
	await card(ben.page, 'Write notes').click();
	const benText = ben.page.getByTestId('card-description');
	await expect(benText).toHaveValue('First idea');

	await ana.page.keyboard.press('Control+z');
	await expect(benText).toHaveValue('');
	await expect(text).toHaveValue('');
	await ana.page.keyboard.press('Control+Shift+z');
	await expect(benText).toHaveValue('First idea');
	// Ben's own typing is not Ana's to undo.
	await ben.page.getByTestId('card-description-edit').click();
	await benText.press('End');
	await benText.pressSequentially(' and more');
	await expect(text).toHaveValue('First idea and more');
	await text.press('Control+z');
	await expect(text).toHaveValue(' and more');
	await expect(benText).toHaveValue(' and more');
	await close(ana, ben);
});
