import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addCard, card, close, twoEditors } from './board-helpers.ts';

/** The texts of a dialog's checklist items, in order (each is an input). */
function itemTexts(dialog: Locator) {
	return () =>
		dialog
			.getByTestId('checklist-item')
			.getByRole('textbox')
			.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
}

test('a checklist edited by one editor shows live for the other, with progress on the card', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Release 1.0');
	await ana.page.keyboard.press('Escape');
	await expect(card(ben.page, 'Release 1.0')).toBeVisible();

	// Ana opens the card and adds two items with Enter, then ticks the first.
	await card(ana.page, 'Release 1.0').click();
	const dialog = ana.page.getByTestId('card-dialog');
	const adder = dialog.getByRole('textbox', { name: 'New checklist item' });
	await adder.fill('Write release notes');
	await adder.press('Enter');
	await expect(adder).toHaveValue('');
	await expect(adder).toBeFocused();
	await adder.fill('Tag the build');
	await adder.press('Enter');
	await dialog.getByRole('checkbox', { name: 'Done: Write release notes' }).check();
	await expect(dialog.getByTestId('checklist-progress')).toHaveText('1 of 2 done');

	// Ben sees the progress on the card face, and the items live in his own dialog.
	const face = card(ben.page, 'Release 1.0').getByTestId('card-checklist');
	await expect(face).toContainText('1/2');
	await expect(face).toContainText('Checklist: 1 of 2 done');
	await card(ben.page, 'Release 1.0').click();
	const bens = ben.page.getByTestId('card-dialog');
	await expect.poll(itemTexts(bens)).toEqual(['Write release notes', 'Tag the build']);
	await expect(bens.getByRole('checkbox', { name: 'Done: Write release notes' })).toBeChecked();
	await expect(bens.getByRole('checkbox', { name: 'Done: Tag the build' })).not.toBeChecked();

	// Ben moves the second item up with Alt+ArrowUp; focus stays on it; Ana sees the new order.
	const tag = bens.getByRole('textbox', { name: 'Item 2 of 2' });
	await tag.focus();
	await ben.page.keyboard.press('Alt+ArrowUp');
	await expect.poll(itemTexts(bens)).toEqual(['Tag the build', 'Write release notes']);
	await expect(bens.getByRole('textbox', { name: 'Item 1 of 2' })).toBeFocused();
	await expect.poll(itemTexts(dialog)).toEqual(['Tag the build', 'Write release notes']);

	// Ben ticks the other item from his dialog; Ana's progress follows, and the card shows 2/2.
	await bens.getByRole('checkbox', { name: 'Done: Tag the build' }).check();
	await expect(dialog.getByTestId('checklist-progress')).toHaveText('2 of 2 done');
	await ben.page.keyboard.press('Escape');
	await expect(face).toContainText('2/2');

	// Ana rewords an item and deletes the other.
	const notes = dialog.getByRole('textbox', { name: 'Item 2 of 2' });
	await notes.fill('Publish release notes');
	await notes.press('Enter');
	await dialog.getByRole('button', { name: 'Delete Tag the build' }).click();
	await ana.page.keyboard.press('Escape');
	await expect(face).toContainText('1/1');
	await card(ben.page, 'Release 1.0').click();
	await expect.poll(itemTexts(bens)).toEqual(['Publish release notes']);
	await close(ana, ben);
});

test('a label colour chosen in one card shows on every card with that label, for everyone', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Login fails');
	await ana.page.keyboard.press('Escape');
	await card(ana.page, 'Login fails').click();
	const dialog = ana.page.getByTestId('card-dialog');
	const label = dialog.getByRole('textbox', { name: 'New label' });
	await label.fill('bug');
	await label.press('Enter');
	await dialog.getByText('Label colours').click();
	await dialog.getByRole('combobox', { name: 'Colour of label bug' }).selectOption('red');
	await ana.page.keyboard.press('Escape');
	const chip = card(ben.page, 'Login fails').getByRole('list', { name: 'Labels' }).getByText('bug');
	await expect(chip).toHaveCSS('background-color', 'rgb(254, 226, 226)');
	await expect(chip).toHaveCSS('color', 'rgb(153, 27, 27)');
	await close(ana, ben);
});
