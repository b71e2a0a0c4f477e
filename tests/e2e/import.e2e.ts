/**
 * Importing a board from "Your boards": the Trello fixture uploaded through the dialog, its
 * progress bar (recorded as it changes, since a small import passes quickly), the report with
 * skipped items and unmatched people, then the new board; a CSV file through the mapping step.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expectAccessible, type AxeCount } from './axe.ts';
import { addCard, card, column, createBoard, expectLive, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';

const trelloFile = fileURLToPath(
	new URL('../fixtures/trello/product-launch.json', import.meta.url)
);

/** Records each state of the progress bar from now on. */
async function recordProgress(page: Page) {
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { progressSeen: string[] }).progressSeen = seen;
		new MutationObserver(() => {
			const bar = document.querySelector('[role="progressbar"], progress');
			if (bar)
				seen.push(
					`${bar.getAttribute('aria-valuenow')}/${bar.getAttribute('aria-valuemax')} ${bar.getAttribute('aria-valuetext')}`
				);
		}).observe(document.body, { subtree: true, childList: true, attributes: true });
	});
}

const progressSeen = (page: Page) =>
	page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);

test('a Trello export becomes a board, with progress and a report', async ({ browser }) => {
	const { page } = await visitor(browser, 'Ana Import');
	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	await expect(dialog.getByRole('heading', { name: 'Import board' })).toBeVisible();
	await dialog.getByLabel('File to import').setInputFiles(trelloFile);
	await expect(dialog.getByRole('status')).toContainText('a Trello board export');
	await expect(dialog.getByLabel('Board title')).toHaveValue('Product launch — Q3 🚀');
	const counts: AxeCount[] = [];
	await expectAccessible(page, 'import dialog', counts);

	await recordProgress(page);
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	const report = dialog.getByTestId('import-report');
	await expect(report).toContainText('Imported 3 columns, 5 cards');
	// Told in the dialog's one live region, and focus moves to the report (its button is gone).
	await expect(dialog.getByRole('status')).toHaveText('Import finished: 5 cards in 3 columns.');
	await expect(report.getByText(/^Imported 3 columns/)).toBeFocused();
	await expect(report).toContainText('List “Ideas (old)”: archived in Trello');
	await expect(report.getByRole('listitem').filter({ hasText: 'Ben Okafor' })).toBeVisible();
	// The bar was shown with the import's size, and ended full.
	const states = await progressSeen(page);
	expect(states.length).toBeGreaterThan(0);
	// Cards count twice (built, saved) and comments once: 2 × 5 + 3; the phase is spoken too.
	expect(states[0]).toMatch(
		/^\d+\/13 (Waiting to start|Matching people to accounts|Building the board|Saving the cards|Adding comments|Finishing): \d+%$/
	);

	await report.getByRole('link', { name: 'Open board' }).click();
	await expectLive(page);
	await expect(card(column(page, 'Doing'), 'Write the press release')).toBeVisible();
});

test('a CSV file is imported through the column-mapping step', async ({ browser }) => {
	const { page } = await visitor(browser, 'Ana Sheet');
	// Someone with an account, named as a card's assignee: the board is shared with them.
	const bo = await visitor(browser, 'Bo Sheet');
	await bo.context.close();
	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	const csv = `Title,Stage,Notes,Assignee\nShip the thing,Doing,first,${bo.person.email}\nPlan the thing,To do,second,\n`;
	await dialog.getByLabel('File to import').setInputFiles({
		name: 'plan.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(csv)
	});
	// Suggested from the header (Stage is a known name for the column); the rest chosen here.
	await expect(dialog.getByLabel('Title (required)')).toHaveValue('0');
	await expect(dialog.getByLabel('Column', { exact: true })).toHaveValue('1');
	await expect(dialog.getByLabel('Description')).toHaveValue('2');
	await dialog.getByLabel('Description').selectOption({ label: '— not in the file —' });
	await dialog.getByLabel('Description').selectOption({ label: 'Notes' });
	await expect(dialog.getByRole('table')).toContainText('Ship the thing');
	await dialog.getByLabel('Board title').fill('From a sheet');
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	const report = dialog.getByTestId('import-report');
	await expect(report).toContainText('Imported 2 columns, 2 cards');
	await expect(report).toContainText('Added to the board as editors (they are notified)');
	await expect(report.getByTestId('import-added-members')).toHaveText('Bo Sheet');
	await report.getByRole('link', { name: 'Open board' }).click();
	await expectLive(page);
	await expect(card(column(page, 'Doing'), 'Ship the thing')).toBeVisible();
	await expect(card(column(page, 'To do'), 'Plan the thing')).toBeVisible();
});

test('Excel’s “Unicode text” (tab-separated UTF-16) imports with its accents', async ({
	browser
}) => {
	const { page } = await visitor(browser, 'Ana Excel');
	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	const text = 'Titel\tSpalte\nCafé crème\tErledigt\nThé\tOffen\n';
	await dialog.getByLabel('File to import').setInputFiles({
		name: 'Mappe1.txt',
		mimeType: 'text/plain',
		buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
	});
	await expect(dialog.getByRole('table')).toContainText('Café crème');
	await dialog.getByLabel('Title (required)').selectOption({ label: 'Titel' });
	await dialog.getByLabel('Column', { exact: true }).selectOption({ label: 'Spalte' });
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(dialog.getByTestId('import-report')).toContainText('Imported 2 columns, 2 cards');
	await dialog.getByTestId('import-report').getByRole('link', { name: 'Open board' }).click();
	await expectLive(page);
	await expect(card(column(page, 'Erledigt'), 'Café crème')).toBeVisible();
});

test('a board exported from its menu is imported back as a new board', async ({ browser }) => {
	const { page } = await visitor(browser, 'Ana Export');
	await createBoard(page, 'Round trip');
	await expectLive(page);
	await addCard(page, 'To do', 'Travels in a file');
	await addCard(page, 'Done', 'Comes back done');
	await page.keyboard.press('Escape');

	const menu = page.getByTestId('board-menu');
	await menu.click();
	const csv = page.waitForEvent('download');
	await page.getByRole('menuitem', { name: 'Export as CSV' }).click();
	const csvFile = await csv;
	expect(csvFile.suggestedFilename()).toMatch(/^Round trip-\d{4}-\d\d-\d\d\.csv$/);
	expect(await readFile((await csvFile.path())!, 'utf8')).toContain('Travels in a file');

	await menu.click();
	const json = page.waitForEvent('download');
	await page.getByRole('menuitem', { name: 'Export (TaskFlow file)' }).click();
	const jsonFile = await json;
	expect(jsonFile.suggestedFilename()).toMatch(/^Round trip-\d{4}-\d\d-\d\d\.json$/);

	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	await dialog.getByLabel('File to import').setInputFiles((await jsonFile.path())!);
	await expect(dialog.getByLabel('Board title')).toHaveValue('Round trip');
	await dialog.getByLabel('Board title').fill('Round trip, back');
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	const report = dialog.getByTestId('import-report');
	await expect(report).toContainText('2 cards');
	await report.getByRole('link', { name: 'Open board' }).click();
	await expectLive(page);
	await expect(card(column(page, 'To do'), 'Travels in a file')).toBeVisible();
	await expect(card(column(page, 'Done'), 'Comes back done')).toBeVisible();
});

test('a file that is not an export is refused with a readable message', async ({ browser }) => {
	const { page } = await visitor(browser, 'Ana Wrong');
	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	await dialog.getByLabel('File to import').setInputFiles({
		name: 'notes.json',
		mimeType: 'application/json',
		buffer: Buffer.from('{"hello": "world"}')
	});
	await dialog.getByLabel('Board title').fill('Whatever');
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(dialog.getByRole('alert')).toContainText('not a Trello board export');

	// Refused in the browser before anything is sent: a picture, and a file over the limit.
	const input = dialog.getByLabel('File to import');
	await input.setInputFiles({
		name: 'photo.png',
		mimeType: 'image/png',
		buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
	});
	await expect(dialog.getByRole('alert')).toHaveText(
		'This is not a file TaskFlow can import: choose a Trello or TaskFlow export (.json) or a CSV file.'
	);
	await input.setInputFiles({
		name: 'huge.csv',
		mimeType: 'text/csv',
		buffer: Buffer.alloc(21 * 1024 * 1024, 'a')
	});
	await expect(dialog.getByRole('alert')).toHaveText(
		'This file is 21 MB; an import takes files up to 20 MB.'
	);
	// Import keeps the reason instead of asking for a file.
	await dialog.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(dialog.getByRole('alert')).toHaveText(
		'This file is 21 MB; an import takes files up to 20 MB.'
	);
});

test('a CSV file past the column limit is refused with a readable message', async ({ browser }) => {
	const { page } = await visitor(browser, 'Ana Wide');
	await open(page, '/boards');
	await page.getByRole('button', { name: 'Import board' }).click();
	const dialog = page.getByTestId('import-dialog');
	const header = Array.from({ length: 101 }, (_, i) => `C${i + 1}`).join(',');
	const input = dialog.getByLabel('File to import');
	await input.setInputFiles({
		name: 'wide.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from(`${header}\n${'x,'.repeat(100)}x\n`)
	});
	const alert = dialog.getByRole('alert');
	await expect(alert).toHaveText(
		'Row 1 of the CSV file has more than 100 columns; a file may have at most 100.'
	);
	// The file input says why, and keeps the focus for the next choice; nothing to map.
	await expect(input).toBeFocused();
	await expect(input).toHaveAttribute('aria-describedby', 'import-error');
	await expect(dialog.getByRole('table')).toHaveCount(0);
	// A good file afterwards clears the message.
	await input.setInputFiles({
		name: 'plan.csv',
		mimeType: 'text/csv',
		buffer: Buffer.from('Title\nShip it\n')
	});
	await expect(dialog.getByRole('table')).toContainText('Ship it');
	await expect(alert).toHaveCount(0);
});
