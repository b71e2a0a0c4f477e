import { close, createBoard, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';
import { promoteToAdmin } from './server-control.ts';

test('an admin finds a user, hands them a reset link, disables them (their board disconnects) and restores an archived board', async ({
	browser
}) => {
	const tag = `q${Date.now().toString(36)}`;
	const admin = await visitor(browser, 'Ada Admin', {
		permissions: ['clipboard-read', 'clipboard-write']
	});
	await promoteToAdmin(admin.person.email);
	const zora = await visitor(browser, `Zora ${tag}`);

	// Zora archives one board and keeps another open and live.
	const archivedId = await createBoard(zora.page, `Old plan ${tag}`);
	const origin = new URL(zora.page.url()).origin;
	const archived = await zora.page.request.delete(`/api/v1/boards/${archivedId}`, {
		headers: { origin }
	});
	expect(archived.status()).toBe(204);
	await open(zora.page, '/boards');
	await createBoard(zora.page, `Live plan ${tag}`);
	const connection = zora.page.getByTestId('connection-status');
	await expect(connection).toHaveAttribute('data-status', 'connected');

	// Users: search narrows the table to Zora.
	const page = admin.page;
	await open(page, '/admin');
	await expect(page.getByRole('tab', { name: 'Users' })).toHaveAttribute('aria-selected', 'true');
	await page.getByRole('searchbox', { name: 'Search users' }).fill(tag.toUpperCase());
	const rows = page.getByTestId('admin-user-row');
	await expect(rows).toHaveCount(1);
	const row = rows.first();
	await expect(row).toHaveAttribute('data-email', zora.person.email);
	await expect(row).toContainText('active');

	// A one-time reset link, shown once in a dialog with a copy button.
	await row.getByRole('button', { name: `Create a password reset link for Zora ${tag}` }).click();
	const dialog = page.getByTestId('reset-link-dialog');
	await expect(dialog).toBeVisible();
	const stale = await dialog.getByLabel('Link').inputValue();
	expect(stale).toMatch(/\/reset-password\/[\w-]{43}$/);
	await dialog.getByRole('button', { name: 'Copy link' }).click();
	await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(stale);
	// Where the browser refuses the clipboard, the dialog says so and selects the link instead.
	await page.evaluate(() => {
		navigator.clipboard.writeText = () =>
			Promise.reject(new DOMException('denied', 'NotAllowedError'));
	});
	await dialog.getByRole('button', { name: 'Copied' }).click();
	await expect(dialog.getByRole('alert')).toContainText('did not allow copying');
	await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();

	// Disabling asks first; cancelled, nothing happens.
	const confirm = page.getByTestId('confirm-dialog');
	await row.getByRole('button', { name: `Disable Zora ${tag}` }).click();
	await expect(confirm).toContainText(`Disable Zora ${tag}?`);
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(confirm).toBeHidden();
	await expect(row).toContainText('active');
	await expect(connection).toHaveAttribute('data-status', 'connected');
	// Confirmed, it ends Zora's live board at once.
	await row.getByRole('button', { name: `Disable Zora ${tag}` }).click();
	await confirm.getByRole('button', { name: 'Disable account' }).click();
	await expect(row).toContainText('disabled');
	await expect(row.getByRole('button', { name: `Enable Zora ${tag}` })).toBeVisible();
	await expect(connection).not.toHaveAttribute('data-status', 'connected');
	await expect(connection).toHaveAttribute('data-status', 'denied');

	// Boards, reached with the keyboard: the archived board is marked and comes back.
	await page.getByRole('tab', { name: 'Users' }).focus();
	await page.keyboard.press('ArrowRight');
	await expect(page.getByRole('tab', { name: 'Boards' })).toBeFocused();
	await expect(page.getByRole('tab', { name: 'Boards' })).toHaveAttribute('aria-selected', 'true');
	await page.getByRole('searchbox', { name: 'Search boards' }).fill(tag);
	const boards = page.getByTestId('admin-board-row');
	await expect(boards).toHaveCount(2);
	const old = boards.filter({ hasText: `Old plan ${tag}` });
	await expect(old).toContainText('Archived');
	await expect(old).toContainText(`Zora ${tag}`);
	await old.getByRole('button', { name: `Restore Old plan ${tag}` }).click();
	await expect(old.getByRole('button', { name: `Archive Old plan ${tag}` })).toBeVisible();
	await expect(old).not.toContainText('Archived');
	const board = await page.request.get(`/api/v1/boards/${archivedId}`);
	expect((await board.json()).archivedAt).toBeNull();

	// Handing a board over: an unknown address is explained in the dialog, a real one is added.
	const live = boards.filter({ hasText: `Live plan ${tag}` });
	await live.getByRole('button', { name: `Transfer owner of Live plan ${tag}` }).click();
	const transfer = page.getByTestId('transfer-dialog');
	await transfer.getByLabel(/New owner’s email/).fill(`nobody.${tag}@example.com`);
	await transfer.getByRole('button', { name: 'Make owner' }).click();
	await expect(transfer).toContainText('No active account has this email address.');
	await transfer.getByLabel(/New owner’s email/).fill(admin.person.email);
	await transfer.getByRole('button', { name: 'Make owner' }).click();
	await expect(transfer).toBeHidden();
	await expect(live).toContainText('Ada Admin');
	await expect(live).toContainText(`Zora ${tag}`);

	// Disabling ended that link too; once Zora is enabled again a new one sets the password.
	await page.getByRole('tab', { name: 'Users' }).click();
	await row.getByRole('button', { name: `Enable Zora ${tag}` }).click();
	await expect(row).toContainText('active');
	const gone = await browser.newPage();
	const refused = await gone.goto(new URL(stale).pathname);
	expect(refused?.status()).toBe(410);
	await gone.close();
	await row.getByRole('button', { name: `Create a password reset link for Zora ${tag}` }).click();
	await expect(dialog).toBeVisible();
	const link = await dialog.getByLabel('Link').inputValue();
	expect(link).not.toBe(stale);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	const reset = await browser.newPage();
	await open(reset, new URL(link).pathname);
	await reset.getByLabel(/^New password/).fill('a fresh passphrase here');
	await reset.getByLabel('Repeat the new password').fill('a fresh passphrase here');
	await reset.getByRole('button', { name: 'Set password' }).click();
	await expect(reset.getByRole('status')).toContainText('Your password is set');
	await reset.close();

	await close(admin, zora);
});
