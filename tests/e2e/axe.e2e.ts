/**
 * axe-core on every page and dialog: no violation anywhere, whatever its impact. The counts per
 * page (all impacts) are printed and attached to the test, for the record.
 */
import { expectAccessible, type AxeCount } from './axe.ts';
import {
	addCard,
	addMember,
	card,
	close,
	createBoard,
	expectLive,
	visitor
} from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';
import { promoteToAdmin } from './server-control.ts';

test.setTimeout(240_000);

test('every page and dialog passes axe without a violation', async ({ browser }) => {
	const counts: AxeCount[] = [];
	const check = (page: Parameters<typeof expectAccessible>[0], label: string) =>
		expectAccessible(page, label, counts);

	// Signed out.
	const guest = await browser.newContext();
	const anon = await guest.newPage();
	await open(anon, '/login');
	await check(anon, 'login');
	await open(anon, '/signup');
	await check(anon, 'signup');
	await open(anon, '/reset-password/not-a-real-token');
	await check(anon, 'reset-password');
	// A static page of its own (no SvelteKit app to hydrate).
	await anon.goto('/api/docs');
	await expect(anon.getByRole('heading', { level: 1 })).toBeVisible();
	await check(anon, 'api docs');
	await guest.close();

	const ana = await visitor(browser, 'Ana Axe');
	await promoteToAdmin(ana.person.email);
	const eve = await visitor(browser, 'Eve Editor');
	const vic = await visitor(browser, 'Vic Viewer');
	const { page } = ana;
	await open(page, '/boards');
	await check(page, 'boards (empty)');

	const boardId = await createBoard(page, 'Axe board');
	await addMember(page, boardId, eve.person.email, 'editor');
	await addMember(page, boardId, vic.person.email, 'viewer');
	await expectLive(page);
	await addCard(page, 'To do', 'First card');
	await addCard(page, 'To do', 'Second card');
	await check(page, 'board');

	// The card dialog, with the card assigned (an avatar on the card face and in the dialog).
	await card(page, 'First card').click();
	const cardDialog = page.getByTestId('card-dialog');
	await expect(cardDialog).toBeVisible();
	await expect(cardDialog.getByTestId('card-loading')).toHaveCount(0);
	await cardDialog.getByTestId('card-assignee').selectOption({ label: 'Ana Axe' });
	await check(page, 'card dialog');
	await page.keyboard.press('Escape');
	await expect(cardDialog).toBeHidden();

	await page.getByRole('button', { name: 'Settings of column To do' }).click();
	await expect(page.getByTestId('column-settings')).toBeVisible();
	await check(page, 'column settings dialog');
	await page.keyboard.press('Escape');

	await page.getByTestId('activity-toggle').click();
	await expect(page.getByTestId('activity-panel')).toBeVisible();
	await check(page, 'activity panel');
	await page.getByTestId('activity-toggle').click();

	await page.getByTestId('board-menu').click();
	await check(page, 'board menu (open)');
	await page.keyboard.press('Escape');
	for (const [item, dialog] of [
		['Rename board…', 'rename-dialog'],
		['Members…', 'members-dialog'],
		['Recently deleted cards…', 'deleted-dialog'],
		['Duplicate board…', 'duplicate-dialog'],
		['Archive board…', 'archive-dialog']
	] as const) {
		await page.getByTestId('board-menu').click();
		await page.getByRole('menuitem', { name: item }).click();
		await expect(page.getByTestId(dialog)).toBeVisible();
		await check(page, `${item.replace('…', '')} dialog`);
		await page.keyboard.press('Escape');
		await expect(page.getByTestId(dialog)).toBeHidden();
	}

	await open(page, `/boards/${boardId}/insights`);
	await check(page, 'insights');

	// An archived board, for the Archived view (with its Restore button).
	await open(page, '/boards');
	const archivedId = await createBoard(page, 'Axe archived');
	const origin = new URL(page.url()).origin;
	expect(
		(await page.request.delete(`/api/v1/boards/${archivedId}`, { headers: { origin } })).status()
	).toBe(204);
	await open(page, '/boards');
	await check(page, 'boards');
	await open(page, '/boards?view=archived');
	await expect(page.getByTestId('board-item')).toHaveCount(1);
	await check(page, 'boards (archived view)');
	await open(page, `/boards/${archivedId}`);
	await check(page, 'board (archived)');

	await open(page, '/settings/tokens');
	await check(page, 'settings/tokens');

	await open(page, '/admin');
	for (const tab of ['Users', 'Boards', 'Broadcasts', 'Audit log', 'System']) {
		await page.getByRole('tab', { name: tab }).click();
		await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
		await expect(page.getByRole('tabpanel')).toBeVisible();
		await check(page, `admin: ${tab}`);
	}

	// "My tasks" is built elsewhere; checked when it exists.
	const myTasks = await page.request.get('/me/tasks');
	if (myTasks.status() === 200) {
		await open(page, '/me/tasks');
		await check(page, 'my tasks');
	}

	// An editor's and a viewer's view: their role badges, the viewer's notice and badge.
	await open(eve.page, '/boards');
	await check(eve.page, 'boards (editor)');
	await open(eve.page, `/boards/${boardId}`);
	await expectLive(eve.page);
	await check(eve.page, 'board (editor)');
	await open(vic.page, `/boards/${boardId}`);
	await expectLive(vic.page);
	await check(vic.page, 'board (viewer)');

	const table = counts.map(
		(c) => `${c.page}: ${c.all} (${c.serious} serious/critical) ${c.rules.join(' ')}`
	);
	console.log(`axe counts per page\n${table.join('\n')}`);
	await test.info().attach('axe-counts.json', {
		body: JSON.stringify(counts, null, 2),
		contentType: 'application/json'
	});
	await close(ana, eve, vic);
});

test('the board and its lists pass axe in the dark theme too', async ({ browser }) => {
	const counts: AxeCount[] = [];
	const ana = await visitor(browser, 'Ana Dark', { colorScheme: 'dark' });
	const eve = await visitor(browser, 'Eve Dark', { colorScheme: 'dark' });
	const { page } = ana;
	const boardId = await createBoard(page, 'Dark board');
	await addMember(page, boardId, eve.person.email, 'editor');
	await expectLive(page);
	await addCard(page, 'To do', 'A card');
	await expectAccessible(page, 'board (dark)', counts);
	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Members…' }).click();
	await expect(page.getByTestId('members-dialog')).toBeVisible();
	await expectAccessible(page, 'members dialog (dark)', counts);
	await open(eve.page, '/boards');
	await expectAccessible(eve.page, 'boards (editor, dark)', counts);
	console.log(counts.map((c) => `${c.page}: ${c.all} ${c.rules.join(' ')}`).join('\n'));
	await close(ana, eve);
});
