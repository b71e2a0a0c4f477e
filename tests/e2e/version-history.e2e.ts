import type { Page } from '@playwright/test';
import { expect, open, test } from './fixtures.ts';
import { expectAccessible, type AxeCount } from './axe.ts';
import {
	addCard,
	addMember,
	card,
	close,
	column,
	createBoard,
	openBoard,
	twoEditors,
	visitor
} from './board-helpers.ts';

/** Opens the history page the way a person does: the header's Board menu. */
async function openHistory(page: Page, boardId: string) {
	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Version history' }).click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/history$`));
	await expect(page.getByRole('heading', { level: 1, name: 'Version history' })).toBeVisible();
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
}

const version = (page: Page, name: string) =>
	page.getByTestId('version').filter({ has: page.getByText(name, { exact: true }) });

test('a named version is previewed read-only, restored for everyone live, and the restore undone', async ({
	browser
}) => {
	const counts: AxeCount[] = [];
	const { ana, ben, boardId } = await twoEditors(browser);
	const { page } = ana;
	await addCard(page, 'To do', 'Keep me');
	await page.keyboard.press('Escape');
	const tasks = await (await page.request.get(`/api/v1/boards/${boardId}/tasks`)).json();
	const keep = tasks.items.find((t: { title: string }) => t.title === 'Keep me');
	const labelled = await page.request.patch(`/api/v1/tasks/${keep.id}`, {
		// "constructor" reads like an object member: it broke the preview before (colours looked up
		// on a plain object found Object's constructor).
		data: { labels: ['launch', 'constructor'] },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(labelled.status(), await labelled.text()).toBe(200);

	await openHistory(page, boardId);
	const naming = page.getByTestId('name-version');
	await naming.getByRole('button', { name: 'Name version' }).click();
	await expect(naming.getByText('Enter a name.')).toBeVisible();
	await expect(naming.getByLabel('Version name')).toHaveAttribute('aria-invalid', 'true');
	await naming.getByLabel('Version name').fill('Before launch');
	await naming.getByRole('button', { name: 'Name version' }).click();
	await expect(naming.getByRole('status')).toHaveText('Saved “Before launch”.');
	await expect(version(page, 'Before launch')).toContainText('Named');
	await expect(version(page, 'Before launch')).toContainText(`1 card`);
	await expect(version(page, 'Before launch')).toContainText(`named by ${ana.person.name}`);

	await openBoard(page, boardId);
	await addCard(page, 'To do', 'Added later');
	await page.keyboard.press('Escape');
	await expect(card(column(ben.page, 'To do'), 'Added later')).toBeVisible();

	await openHistory(page, boardId);
	await version(page, 'Before launch')
		.getByRole('button', { name: /Preview/ })
		.click();
	const preview = page.getByTestId('version-preview');
	await expect(preview.getByText('Preview — read only')).toBeVisible();
	await expect(preview.getByRole('heading', { level: 2 })).toBeFocused();
	await expect(preview.getByTestId('preview-card')).toHaveCount(1);
	await expect(preview.getByTestId('preview-card')).toContainText('Keep me');
	await expect(
		preview.getByTestId('preview-card').getByRole('list', { name: 'Labels' }).getByRole('listitem')
	).toHaveText(['launch', 'constructor']);
	await expect(preview.getByRole('heading', { name: /^To do/ })).toBeVisible();
	await expectAccessible(page, 'version history with preview', counts);

	await page.getByRole('button', { name: 'Restore this version' }).click();
	const dialog = page.getByTestId('restore-dialog');
	await expect(dialog).toContainText('for everyone');
	await expect(dialog).toContainText('undo the restore');
	await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
	await expectAccessible(page, 'restore confirmation', counts);
	await dialog.getByRole('button', { name: 'Restore version' }).click();
	await expect(dialog).toBeHidden();
	const status = page.getByTestId('restore-status');
	await expect(status).toBeFocused();
	await expect(status).toContainText('Restored “Before launch”');
	await expect(version(page, 'Before restoring “Before launch”')).toBeVisible();

	// Ben kept the board open throughout: the restore arrives as a live change.
	await expect(card(ben.page, 'Added later')).toHaveCount(0);
	await expect(card(column(ben.page, 'To do'), 'Keep me')).toBeVisible();

	await status.getByRole('button', { name: 'Undo restore' }).click();
	await expect(status).toContainText('Restore undone');
	await expect(status.getByRole('button', { name: 'Undo restore' })).toHaveCount(0);
	await expect(card(column(ben.page, 'To do'), 'Added later')).toBeVisible();
	await expect(card(column(ben.page, 'To do'), 'Keep me')).toBeVisible();

	// A viewer reads the same history, without the controls that change the board.
	const cy = await visitor(browser, 'Cy Viewer');
	await addMember(page, boardId, cy.person.email, 'viewer');
	await openBoard(cy.page, boardId);
	await openHistory(cy.page, boardId);
	await expect(version(cy.page, 'Before launch')).toBeVisible();
	await version(cy.page, 'Before launch')
		.getByRole('button', { name: /Preview/ })
		.click();
	await expect(cy.page.getByTestId('preview-card')).toHaveCount(1);
	await expect(cy.page.getByTestId('preview-card')).toContainText('Keep me');
	await expect(cy.page.getByRole('heading', { name: 'Name the current version' })).toHaveCount(0);
	await expect(cy.page.getByRole('button', { name: 'Restore this version' })).toHaveCount(0);
	await expectAccessible(cy.page, 'version history (viewer)', counts);
	await close(ana, ben, cy);
});

test('"Show older" pages through a long history', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const { page } = ana;
	const boardId = await createBoard(page, 'Long story');
	const origin = new URL(page.url()).origin;
	for (let i = 1; i <= 23; i++) {
		const res = await page.request.post(`/api/v1/boards/${boardId}/versions`, {
			data: { name: `Step ${i}` },
			headers: { origin }
		});
		expect(res.status(), await res.text()).toBe(201);
	}
	await open(page, `/boards/${boardId}/history`);
	await expect(page.getByTestId('version')).toHaveCount(20);
	await expect(page.getByTestId('version').first()).toContainText('Step 23');
	await page.getByRole('button', { name: 'Show older' }).click();
	await expect(page.getByTestId('version')).toHaveCount(23);
	await expect(page.getByTestId('version').last()).toContainText('Step 1');
	await expect(
		page
			.getByTestId('version')
			.nth(20)
			.getByRole('button', { name: /Preview Step 3/ })
	).toBeFocused();
	await expect(page.getByRole('button', { name: 'Show older' })).toHaveCount(0);
	await close(ana);
});
