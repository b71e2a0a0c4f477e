import { close, createBoard, expectLive, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';
import { promoteToAdmin } from './server-control.ts';

test('the System tab shows the database up, this instance with its live connection, and the last hour', async ({
	browser
}) => {
	const admin = await visitor(browser, 'Sys Admin');
	await promoteToAdmin(admin.person.email);
	// A live board in another tab of the admin's browser: one websocket on this instance.
	const board = await admin.context.newPage();
	await open(board, '/boards');
	await createBoard(board, 'System check');
	await expectLive(board);

	const page = admin.page;
	await open(page, '/admin?tab=system');
	await expect(page.getByRole('tab', { name: 'System' })).toHaveAttribute('aria-selected', 'true');
	const postgres = page.locator('[data-testid="system-dependency"][data-name="postgres"]');
	await expect(postgres).toHaveAttribute('data-status', 'up');
	await expect(postgres).toContainText(/up\s*[\d.,]+ ms/);

	const self = page.locator('[data-testid="system-instance"][data-self="true"]');
	await expect(self).toHaveCount(1);
	await expect(self).toContainText('this instance');
	// Connections (third cell) count the board's websocket.
	const connections = self.locator('td').nth(1);
	await expect.poll(async () => Number(await connections.textContent())).toBeGreaterThan(0);

	// Five charts, each with a text summary; this minute has seen requests.
	await expect(page.getByTestId('system-chart')).toHaveCount(5);
	const requests = page.locator('[data-testid="system-chart"][data-chart="requests"]');
	await expect(requests.getByRole('img', { name: /Requests per second/ })).toBeVisible();
	await expect(requests).toContainText(/now [\d.,]+, peak/);
	await page.getByText('The last hour as a table').click();
	await expect(
		page.getByRole('table', { name: 'Per-minute figures of the last hour' })
	).toBeVisible();

	await close(admin);
});
