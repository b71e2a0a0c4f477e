/**
 * The board's filter bar (text, counts shown/all, marks, the URL, `/` and Escape) and "My
 * tasks" (a card assigned to me is listed and its link opens it on its board).
 */
import { expect, test } from './fixtures.ts';
import { addCard, card, close, column, createBoard, expectLive, visitor } from './board-helpers.ts';

test('filtering the board: counts, marks, the URL across a reload, / and Escape', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Filter');
	const { page } = ana;
	const boardId = await createBoard(page, 'Filter board');
	await expectLive(page);
	await addCard(page, 'To do', 'Fix login bug');
	await addCard(page, 'To do', 'Write the docs');
	await addCard(page, 'In progress', 'Login page copy');
	const filterText = page.getByTestId('filter-text');
	const count = (title: string) => column(page, title).getByTestId('column-count');

	// `/` from the page focuses the filter; typed into another field it stays a character.
	const find = page.getByTestId('find-card');
	await find.click();
	await page.keyboard.type('/');
	await expect(find).toHaveValue('/');
	await expect(find).toBeFocused();
	await find.fill('');
	await page.getByTestId('board-title').click();
	await page.keyboard.press('/');
	await expect(filterText).toBeFocused();

	await page.keyboard.type('LOGIN');
	await expect(count('To do')).toHaveText('1/2');
	await expect(count('In progress')).toHaveText('1/1');
	await expect(card(page, 'Write the docs')).toHaveCount(0);
	await expect(card(column(page, 'To do'), 'Fix login bug').locator('mark')).toHaveText('login');
	await expect(card(page, 'Login page copy').locator('mark')).toHaveText('Login');
	await expect(page.getByTestId('filter-status')).toHaveText('2 of 3 cards match');
	// Written once typing pauses, replacing the history entry.
	await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('LOGIN');

	// A second criterion narrows further; the URL carries both and a reload keeps them.
	await page.getByTestId('filter-priority').selectOption('medium');
	await expect.poll(() => new URL(page.url()).searchParams.get('priority')).toBe('medium');
	await page.reload();
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(filterText).toHaveValue('LOGIN');
	await expect(page.getByTestId('filter-priority')).toHaveValue('medium');
	await expect(count('To do')).toHaveText('1/2');
	await expect(card(page, 'Write the docs')).toHaveCount(0);

	// Escape clears the text, a second Escape the rest; the URL follows.
	await filterText.focus();
	await filterText.press('Escape');
	await expect(filterText).toHaveValue('');
	await expect(count('To do')).toHaveText('2/2');
	await expect.poll(() => new URL(page.url()).searchParams.has('q')).toBe(false);
	await filterText.press('Escape');
	await expect(count('To do')).toHaveText('2');
	await expect(card(page, 'Write the docs')).toBeVisible();
	await expect(page.getByTestId('filter-status')).toHaveText('');
	await expect.poll(() => new URL(page.url()).search).toBe('');
	// Going back leaves the board: typing made no history entries of its own.
	await page.goBack();
	await expect(page).not.toHaveURL(new RegExp(`/boards/${boardId}`));
	await close(ana);
});

test('My tasks lists a card assigned to me and its link opens it on its board', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Mine');
	const { page } = ana;
	const boardId = await createBoard(page, 'Mine board');
	await expectLive(page);
	await addCard(page, 'To do', 'Call the printer');
	await addCard(page, 'To do', 'Not for me');
	const taskId = await card(page, 'Call the printer').getAttribute('data-card-id');
	const me = (await (await page.request.get('/api/v1/me')).json()) as { id: string };
	const origin = new URL(page.url()).origin;
	const assigned = await page.request.patch(`/api/v1/tasks/${taskId}`, {
		data: { assigneeId: me.id, dueDate: '2020-01-02' },
		headers: { origin }
	});
	expect(assigned.status(), await assigned.text()).toBe(200);

	await page
		.getByRole('navigation', { name: 'Account' })
		.getByRole('link', { name: 'My tasks' })
		.click();
	await expect(page).toHaveURL(/\/me\/tasks$/);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
	const overdue = page.getByTestId('my-tasks-group').filter({ hasText: 'Overdue' });
	await expect(overdue.getByTestId('my-task')).toHaveCount(1);
	await expect(overdue.getByTestId('my-task')).toContainText('Mine board · To do');
	await expect(page.getByText('Not for me')).toHaveCount(0);

	await overdue.getByRole('link', { name: 'Call the printer' }).click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}\\?card=${taskId}$`));
	const dialog = page.getByTestId('card-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByLabel('Title')).toHaveValue('Call the printer');
	await close(ana);
});

test('the label filter lists each label in its chosen colour, by name', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Colours');
	const { page } = ana;
	await createBoard(page, 'Colour filter board');
	await expectLive(page);
	await addCard(page, 'To do', 'Login fails');
	await addCard(page, 'To do', 'Write the docs');
	await page.keyboard.press('Escape');
	const dialog = page.getByTestId('card-dialog');
	const label = (name: string) => dialog.getByRole('textbox', { name: 'New label' }).fill(name);
	await card(page, 'Login fails').click();
	await label('bug');
	await dialog.getByRole('textbox', { name: 'New label' }).press('Enter');
	await dialog.getByText('Label colours').click();
	await dialog.getByRole('combobox', { name: 'Colour of label bug' }).selectOption('red');
	await page.keyboard.press('Escape');
	await card(page, 'Write the docs').click();
	await label('docs');
	await dialog.getByRole('textbox', { name: 'New label' }).press('Enter');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();

	// The list shows every label by its name, a coloured one in its chip colours (as on cards).
	const select = page.getByTestId('filter-label');
	await select.focus();
	const bug = select.locator('option', { hasText: 'bug' });
	const docs = select.locator('option', { hasText: 'docs' });
	await expect(bug).toHaveText('bug');
	await expect(bug).toHaveAttribute('data-color', 'red');
	await expect(bug).toHaveCSS('background-color', 'rgb(254, 226, 226)');
	await expect(bug).toHaveCSS('color', 'rgb(153, 27, 27)');
	const chip = card(page, 'Login fails').getByRole('list', { name: 'Labels' }).getByText('bug');
	await expect(chip).toHaveCSS('background-color', 'rgb(254, 226, 226)');
	await expect(docs).toHaveText('docs');
	await expect(docs).not.toHaveAttribute('data-color');
	await expect(docs).not.toHaveCSS('background-color', 'rgb(254, 226, 226)');

	// Chosen, the closed control wears the label's colours too, and still says its name.
	await select.selectOption('bug');
	await expect(select).toHaveCSS('background-color', 'rgb(254, 226, 226)');
	await expect(select).toHaveCSS('color', 'rgb(153, 27, 27)');
	await expect(select.locator('option:checked')).toHaveText('bug');
	await expect(card(page, 'Write the docs')).toHaveCount(0);
	await expect(card(page, 'Login fails')).toBeVisible();
	// The uncoloured choices keep the page's own look inside the coloured control.
	await expect(docs).not.toHaveCSS('background-color', 'rgb(254, 226, 226)');
	await select.selectOption('docs');
	await expect(select).not.toHaveAttribute('data-color');
	await expect(card(page, 'Login fails')).toHaveCount(0);
	await close(ana);
});
