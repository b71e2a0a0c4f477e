import { readFile } from 'node:fs/promises';
import { close, createBoard, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';
import { promoteToAdmin } from './server-control.ts';

test('an admin filters the audit log to one actor, expands a row to its metadata and exports CSV', async ({
	browser
}) => {
	const tag = `a${Date.now().toString(36)}`;
	const admin = await visitor(browser, 'Audra Admin');
	await promoteToAdmin(admin.person.email);
	const zora = await visitor(browser, `Zora ${tag}`);
	const boardId = await createBoard(zora.page, `Audited ${tag}`);

	const page = admin.page;
	await open(page, '/admin');
	await page.getByRole('tab', { name: 'Audit log' }).click();
	await expect(page.getByRole('tab', { name: 'Audit log' })).toHaveAttribute(
		'aria-selected',
		'true'
	);
	await page.getByLabel('Actor (email or user id)').fill(zora.person.email);
	const list = page.getByRole('list', { name: 'Audit events, newest first' });
	const rows = page.getByTestId('audit-row');
	const created = rows.filter({ has: page.locator('code', { hasText: 'board.created' }) });
	// Events reach the log through the outbox a moment after the request: apply until it shows.
	await expect(async () => {
		await page.getByRole('button', { name: 'Apply filters' }).click();
		await expect(list).toHaveAttribute('aria-busy', 'false');
		await expect(created).toHaveCount(1, { timeout: 1000 });
	}).toPass();
	const count = await rows.count();
	const types = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-type')));
	expect(types).toEqual(expect.arrayContaining(['user.signed_up', 'board.created']));
	const actors = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-actor')));
	expect(new Set(actors).size).toBe(1);
	await expect(rows.filter({ hasText: `Zora ${tag}` })).toHaveCount(count);
	await expect(rows.filter({ hasText: 'Audra Admin' })).toHaveCount(0);

	// The disclosure button opens the row's metadata and says so.
	const details = created.getByRole('button', { name: /^Details/ });
	await expect(details).toHaveAttribute('aria-expanded', 'false');
	await details.focus();
	await page.keyboard.press('Enter');
	const toggle = created.getByRole('button', { name: /^Hide details/ });
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	const panel = created.locator('dl');
	await expect(panel).toBeVisible();
	await expect(panel).toContainText('User agent');
	await expect(panel).toContainText('Correlation id');
	await expect(panel).toContainText(boardId);

	// The export holds exactly the filtered rows.
	const downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Export CSV' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
	const text = await readFile((await download.path())!, 'utf8');
	const lines = text.split('\r\n').filter(Boolean);
	expect(lines[0]).toMatch(/^createdAt,id,type,actorId,/);
	expect(lines.length - 1).toBeGreaterThanOrEqual(count);
	expect(lines.slice(1).every((line) => line.split(',')[3] === actors[0])).toBe(true);
	expect(text).toContain(`board.created,${actors[0]}`);
	await expect(page.getByRole('status').filter({ hasText: /Exported \d+ events/ })).toBeAttached();

	// A malformed board id is explained at the field.
	await page.getByLabel('Board id').fill('not-a-board');
	await page.getByRole('button', { name: 'Apply filters' }).click();
	await expect(page.getByText('Give a board id.')).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('Some query parameters are invalid.');
	await expect(page.getByLabel('Board id')).toHaveAttribute('aria-invalid', 'true');

	await close(admin, zora);
});
