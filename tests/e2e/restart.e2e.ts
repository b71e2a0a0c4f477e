import { addCard, card, close, column, expectLive, twoEditors } from './board-helpers.ts';
import { expect, test } from './fixtures.ts';
import { startServer, stopServer } from './server-control.ts';

test('edits made while the server restarts are kept and synced when it returns', async ({
	browser
}) => {
	const { ana, ben } = await twoEditors(browser);
	stopServer();
	await expect(ana.page.getByTestId('connection-status')).not.toHaveAttribute(
		'data-status',
		'connected'
	);

	await addCard(ana.page, 'To do', 'Written while the server was down');
	await expect(card(ana.page, 'Written while the server was down')).toBeVisible();
	await expect(ana.page.getByTestId('unsynced-count')).not.toHaveText('0');

	startServer();
	await expectLive(ana.page);
	await expect(ana.page.getByTestId('unsynced-count')).toHaveText('0');
	await expect(card(column(ben.page, 'To do'), 'Written while the server was down')).toBeVisible({
		timeout: 15_000
	});
	// And it was stored: a reload renders it from the database.
	await ben.page.reload();
	await expect(card(column(ben.page, 'To do'), 'Written while the server was down')).toBeVisible();
	await close(ana, ben);
});
