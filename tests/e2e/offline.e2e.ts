/**
 * Offline that survives a reload: the service worker serves a board page opened before, the
 * board's document comes from IndexedDB, edits made offline outlive reloads and closed tabs and
 * reach the others when the network returns. A logout removes what the browser kept.
 */
import type { Page } from '@playwright/test';
import {
	addCard,
	addMember,
	card,
	column,
	createBoard,
	expectLive,
	openBoard,
	setRole,
	visitor
} from './board-helpers.ts';
import { expect, logInViaUi, open, test } from './fixtures.ts';
import { deployWorkerVersion } from './server-control.ts';

/** Whether the service worker holds a copy of this board's page. */
function pageKept(page: Page, boardId: string) {
	return page.evaluate(
		async (path) => (await caches.match(path, { ignoreSearch: true })) !== undefined,
		`/boards/${boardId}`
	);
}

/** Names of the IndexedDB databases of the page's origin. */
function databases(page: Page) {
	return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? ''));
}

async function userId(page: Page): Promise<string> {
	return ((await (await page.request.get('/api/v1/me')).json()) as { id: string }).id;
}

async function renameCard(page: Page, from: string, to: string) {
	await card(page, from).click();
	const dialog = page.getByTestId('card-dialog');
	await dialog.getByLabel('Title').fill(to);
	await dialog.getByLabel('Title').press('Enter');
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
}

async function expectShown(page: Page) {
	await expect(page.getByTestId('board-title')).toHaveText('Field trip');
	await expect(page.getByTestId('board-loading')).toHaveCount(0);
}

test('edits made offline survive a reload and a closed tab, and reach the other editor', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const ben = await visitor(browser, 'Ben Okafor');
	const boardId = await createBoard(ana.page, 'Field trip');
	await addMember(ana.page, boardId, ben.person.email, 'editor');
	await addCard(ana.page, 'To do', 'Book the bus');
	await expectLive(ana.page);
	await openBoard(ben.page, boardId);
	// The board was reached by client-side navigation: the page asks the worker to keep it.
	await expect.poll(() => pageKept(ana.page, boardId)).toBe(true);

	await ana.context.setOffline(true);
	await expect(ana.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	await addCard(ana.page, 'To do', 'Pack lunches');
	await renameCard(ana.page, 'Book the bus', 'Book the coach');
	// Two cards changed, however many updates that took.
	await expect(ana.page.getByTestId('unsynced-count')).toHaveText('2');
	// One sentence, no space before its comma (the page is kept: see above).
	await expect(ana.page.getByTestId('connection-status')).toContainText(
		'2 cards changed, kept on this device'
	);

	// Still offline: the worker serves the page, IndexedDB the document with both edits.
	await ana.page.reload();
	await expect(ana.page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expectShown(ana.page);
	await expect(card(column(ana.page, 'To do'), 'Pack lunches')).toBeVisible();
	await expect(card(column(ana.page, 'To do'), 'Book the coach')).toBeVisible();
	await expect(card(ana.page, 'Book the bus')).toHaveCount(0);
	await expect(ana.page.getByTestId('unsynced-count')).toHaveText('2');

	await addCard(ana.page, 'In progress', 'Write the permission slip');
	await expect(ana.page.getByTestId('unsynced-count')).toHaveText('3');

	// The tab closed and the board opened again, still without a network.
	await ana.page.close();
	const again = await ana.context.newPage();
	await open(again, `/boards/${boardId}`);
	await expectShown(again);
	await expect(card(column(again, 'In progress'), 'Write the permission slip')).toBeVisible();
	await expect(card(column(again, 'To do'), 'Pack lunches')).toBeVisible();
	await expect(again.getByTestId('unsynced-count')).toHaveText('3');
	// Ben has seen none of it.
	await expect(card(ben.page, 'Book the bus')).toBeVisible();
	await expect(card(ben.page, 'Pack lunches')).toHaveCount(0);

	await ana.context.setOffline(false);
	await expectLive(again);
	await expect(card(column(ben.page, 'To do'), 'Pack lunches')).toBeVisible();
	await expect(card(column(ben.page, 'To do'), 'Book the coach')).toBeVisible();
	await expect(card(column(ben.page, 'In progress'), 'Write the permission slip')).toBeVisible();
	await expect(card(ben.page, 'Book the bus')).toHaveCount(0);
	await expect(again.getByTestId('unsynced-count')).toHaveText('0');
	await ana.context.close();
	await ben.context.close();
});

test('edits made offline by someone made a viewer meanwhile are shown as not saved, and can be discarded', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const ben = await visitor(browser, 'Ben Okafor');
	const boardId = await createBoard(ana.page, 'Field trip');
	await addMember(ana.page, boardId, ben.person.email, 'editor');
	await addCard(ana.page, 'To do', 'Book the bus');
	await openBoard(ben.page, boardId);

	await ben.context.setOffline(true);
	await expect(ben.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'offline');
	await renameCard(ben.page, 'Book the bus', 'Book the coach');
	await expect(ben.page.getByTestId('unsynced-count')).toHaveText('1');
	await setRole(ana.page, boardId, ben.person.email, 'viewer');
	await ben.context.setOffline(false);

	// Back online as a viewer: the server takes nothing, and the page says so instead of
	// "saving…" for good.
	const refused = ben.page.getByTestId('unsaved-refused-notice');
	await expect(refused).toContainText('1 card changed here could not be saved');
	await expect(ben.page.getByTestId('connection-status')).toContainText(
		'not saved: you can only view this board now'
	);
	await expect(card(ana.page, 'Book the bus')).toBeVisible();
	await expect(card(ana.page, 'Book the coach')).toHaveCount(0);

	await ben.page.getByTestId('discard-unsaved').click();
	// Reloaded from the server: the board as everyone else sees it, nothing pending.
	await expect(card(ben.page, 'Book the bus')).toBeVisible();
	await expect(card(ben.page, 'Book the coach')).toHaveCount(0);
	await expect(ben.page.getByTestId('unsynced-count')).toHaveText('0');
	await expect(refused).toHaveCount(0);
	await expect(ben.page.getByTestId('read-only-notice')).toBeVisible();
	await ana.context.close();
	await ben.context.close();
});

test("a logout removes the user's board copies and kept pages; the next user finds none", async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const ben = await visitor(browser, 'Ben Okafor');
	const anaId = await userId(ana.page);
	const boardId = await createBoard(ana.page, 'Private plans');
	await addCard(ana.page, 'To do', 'Surprise party');
	await expectLive(ana.page);
	await expect.poll(() => databases(ana.page)).toContainEqual(expect.stringContaining(anaId));
	await expect.poll(() => pageKept(ana.page, boardId)).toBe(true);

	await ana.page.getByRole('button', { name: 'Log out' }).click();
	await expect(ana.page).toHaveURL(/\/login$/);
	// Ben signs in on the same browser.
	await logInViaUi(ana.page, ben.person);
	expect((await databases(ana.page)).filter((name) => name.includes(anaId))).toEqual([]);
	expect(await pageKept(ana.page, boardId)).toBe(false);
	await ana.context.close();
	await ben.context.close();
});

test('a kept board page is never served to the next account, even when no logout cleared it', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Keeps');
	const ben = await visitor(browser, 'Ben Next');
	const boardId = await createBoard(ana.page, 'Ana only');
	await expectLive(ana.page);
	await expect.poll(() => pageKept(ana.page, boardId)).toBe(true);
	// The session ends without the Log out button (it expired, or another tab logged out).
	await ana.context.clearCookies();
	await logInViaUi(ana.page, ben.person);
	await expect.poll(() => pageKept(ana.page, boardId)).toBe(false);
	await ana.context.setOffline(true);
	const shown = await ana.page.goto(`/boards/${boardId}`).then(
		() => true,
		() => false
	);
	if (shown) await expect(ana.page.getByText('Ana only')).toHaveCount(0);
	await ana.context.setOffline(false);
	await ana.context.close();
	await ben.context.close();
});

/**
 * A deploy while the board is open: the browser's update check finds a service worker of a new
 * version (here the same files under another version name, as the next build would bring),
 * which takes over and deletes the old version's caches. The pages kept before stay; copies
 * that name another build's files are renewed (the signed-in user's) or dropped.
 */
test('kept board pages survive a new version of the service worker', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Deploys');
	const first = await createBoard(ana.page, 'Field trip');
	await addCard(ana.page, 'To do', 'Book the bus');
	await expectLive(ana.page);
	await expect.poll(() => pageKept(ana.page, first)).toBe(true);
	await open(ana.page, '/boards');
	const second = await createBoard(ana.page, 'Second board');
	await expectLive(ana.page);
	await expect.poll(() => pageKept(ana.page, second)).toBe(true);

	// An older build's copies: Ana's of the first board, and another account's (a logout that
	// never ran). Their scripts are in no cache the new worker has.
	const anaId = await userId(ana.page);
	const oldBuild = (path: string, user: string) =>
		ana.page.evaluate(
			async ({ path, user }) => {
				const kept = await caches.open('taskflow-pages-kept');
				const html =
					'<!doctype html><script type="module" src="../_app/immutable/entry/start.OLD.js"></script>';
				await kept.put(
					`${path}?user=${encodeURIComponent(user)}`,
					new Response(html, { headers: { 'content-type': 'text/html' } })
				);
			},
			{ path, user }
		);
	await oldBuild(`/boards/${first}`, anaId);
	await oldBuild(`/boards/${second}`, 'someone-else');
	const keptText = (path: string, user: string) =>
		ana.page.evaluate(
			async (key) => (await (await caches.match(key))?.text()) ?? null,
			`${path}?user=${encodeURIComponent(user)}`
		);
	expect(await keptText(`/boards/${first}`, anaId)).toContain('start.OLD.js');

	const { version } = (await (await ana.page.request.get('/_app/version.json')).json()) as {
		version: string;
	};
	const next = `${version}next`;
	const cacheNames = () => ana.page.evaluate(() => caches.keys());
	expect(await cacheNames()).toContain(`taskflow-assets-${version}`);
	deployWorkerVersion(next);
	try {
		await ana.page.evaluate(async () => {
			const registration = await navigator.serviceWorker.ready;
			await registration.update();
		});
		// Activated: its own files cached, the old version's caches deleted.
		await expect.poll(cacheNames).toContain(`taskflow-assets-${next}`);
		await expect.poll(cacheNames).not.toContain(`taskflow-assets-${version}`);
	} finally {
		deployWorkerVersion(null);
	}
	// Ana's old copy renewed from the network (it now names this build's entry script); the
	// other account's dropped; the page open during the deploy kept.
	await expect.poll(() => keptText(`/boards/${first}`, anaId)).not.toContain('start.OLD.js');
	expect(await keptText(`/boards/${first}`, anaId)).toMatch(
		/_app\/immutable\/entry\/start\.[\w-]+\.js/
	);
	await expect.poll(() => keptText(`/boards/${second}`, 'someone-else')).toBeNull();
	await expect.poll(() => keptText(`/boards/${second}`, anaId)).not.toBeNull();

	await ana.context.setOffline(true);
	// The page open during the deploy, reloaded offline.
	await ana.page.reload();
	await expect(ana.page.locator('html[data-hydrated="true"]')).toBeAttached();
	await expect(ana.page.getByTestId('board-title')).toHaveText('Second board');
	await expect(ana.page.getByTestId('board-loading')).toHaveCount(0);
	// And one kept before it.
	await open(ana.page, `/boards/${first}`);
	await expectShown(ana.page);
	await expect(card(column(ana.page, 'To do'), 'Book the bus')).toBeVisible();
	await ana.context.setOffline(false);
	await ana.context.close();
});

/** Rows of the board copy's `updates` store: how many, and their bytes in all. */
function storedCopy(page: Page, name: string) {
	return page.evaluate(
		(name) =>
			new Promise<{ rows: number; bytes: number }>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('updates')) {
						db.close();
						return resolve({ rows: 0, bytes: 0 });
					}
					const all = db.transaction('updates').objectStore('updates').getAll();
					all.onsuccess = () => {
						db.close();
						const rows = all.result as Uint8Array[];
						resolve({ rows: rows.length, bytes: rows.reduce((n, row) => n + row.byteLength, 0) });
					};
					all.onerror = () => reject(all.error);
				};
			}),
		name
	);
}

test('reopening a board replaces its copy with the downloaded document instead of adding one', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const boardId = await createBoard(ana.page, 'Field trip');
	for (const title of ['Book the bus', 'Pack lunches', 'Count the children']) {
		await addCard(ana.page, 'To do', title);
	}
	await expectLive(ana.page);
	const name = `taskflow-board:${await userId(ana.page)}:${boardId}`;
	const documentBytes = (await (await ana.page.request.get(`/boards/${boardId}/document`)).body())
		.byteLength;
	// Each visit used to add an encoding of the whole document to the copy (y-indexeddb), and
	// read every one back: two visits held two. Now a visit with nothing unsent rewrites it.
	for (let visit = 0; visit < 3; visit++) {
		await ana.page.reload();
		await expectShown(ana.page);
		await expect.poll(async () => (await storedCopy(ana.page, name)).rows).toBeGreaterThan(0);
	}
	await expect
		.poll(async () => (await storedCopy(ana.page, name)).bytes)
		.toBeLessThan(documentBytes * 1.5);
	expect((await storedCopy(ana.page, name)).rows).toBeLessThanOrEqual(3);
	await ana.context.close();
});
