/** Steps the board tests share: people in their own browser contexts, boards, cards. */
import type {
	Browser,
	BrowserContext,
	BrowserContextOptions,
	Locator,
	Page
} from '@playwright/test';
import type * as Y from 'yjs';
import {
	createColumn,
	createTask,
	readBoard,
	type OpContext
} from '../../src/lib/domain/board/index.ts';
import { connect, waitFor } from '../server/support/collab.ts';
import { expect, newPerson, open, signUpViaUi, type Person } from './fixtures.ts';

export interface Visitor {
	person: Person;
	context: BrowserContext;
	page: Page;
}

/** A new account, signed up through the UI in a fresh browser context. */
export async function visitor(
	browser: Browser,
	name: string,
	options: BrowserContextOptions = {}
): Promise<Visitor> {
	// newPerson builds the email from the name, so it gets the name without spaces.
	const person = { ...newPerson(name.replace(/\s+/g, '')), name };
	const context = await browser.newContext(options);
	const page = await context.newPage();
	await signUpViaUi(page, person);
	return { person, context, page };
}

/** Ana owns a new board, Ben is an editor; both have it open and live. */
export async function twoEditors(browser: Browser) {
	const ana = await visitor(browser, 'Ana Lopez');
	const ben = await visitor(browser, 'Ben Okafor');
	const boardId = await createBoard(ana.page, 'Launch plan');
	await addMember(ana.page, boardId, ben.person.email, 'editor');
	await expectLive(ana.page);
	await openBoard(ben.page, boardId);
	return { ana, ben, boardId };
}

export async function close(...visitors: Visitor[]) {
	for (const { context } of visitors) await context.close();
}

/** Creates a board through the UI and returns its id; the page is left on the board. */
export async function createBoard(page: Page, title: string): Promise<string> {
	await page.getByLabel('Board title').fill(title);
	await page.getByRole('button', { name: 'Create board' }).click();
	await expect(page.getByTestId('board-title')).toHaveText(title);
	const id = /\/boards\/([0-9a-f-]{36})/.exec(page.url())?.[1];
	if (!id) throw new Error(`No board id in ${page.url()}`);
	return id;
}

/** Adds a member through the API with the owner's cookie (same-origin POSTs need Origin). */
export async function addMember(owner: Page, boardId: string, email: string, role: string) {
	const origin = new URL(owner.url()).origin;
	const response = await owner.request.post(`/api/v1/boards/${boardId}/members`, {
		data: { email, role },
		headers: { origin }
	});
	expect(response.status(), await response.text()).toBe(201);
}

/** Changes a member's role through the API with the owner's cookie. */
export async function setRole(owner: Page, boardId: string, email: string, role: string) {
	const origin = new URL(owner.url()).origin;
	const members = await owner.request.get(`/api/v1/boards/${boardId}/members?limit=200`);
	expect(members.status()).toBe(200);
	const { items } = (await members.json()) as { items: { userId: string; email: string }[] };
	const member = items.find((item) => item.email === email);
	expect(member, `${email} is a member`).toBeTruthy();
	const response = await owner.request.patch(
		`/api/v1/boards/${boardId}/members/${member!.userId}`,
		{ data: { role }, headers: { origin } }
	);
	expect(response.status(), await response.text()).toBe(200);
}

/** Opens the board and waits until the live connection has synced. */
export async function openBoard(page: Page, boardId: string) {
	await open(page, `/boards/${boardId}`);
	await expectLive(page);
}

export async function expectLive(page: Page) {
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

export function column(page: Page, title: string): Locator {
	return page
		.getByTestId('column')
		.filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

export function card(scope: Page | Locator, title: string): Locator {
	return scope.getByTestId('card').filter({ hasText: title });
}

/** Adds a card with the inline form at the bottom of a column. */
export async function addCard(page: Page, columnTitle: string, title: string) {
	const target = column(page, columnTitle);
	const form = target.getByTestId('add-card-form');
	if (!(await form.isVisible())) await target.getByTestId('add-card').click();
	await form.getByRole('textbox').fill(title);
	await form.getByRole('textbox').press('Enter');
	await expect(card(target, title)).toBeVisible();
}

/** A real pointer drag: press, move in steps (past the drag threshold), release. */
export async function dragTo(page: Page, from: Locator, to: Locator, where: 'top' | 'bottom') {
	const source = await from.boundingBox();
	const target = await to.boundingBox();
	if (!source || !target) throw new Error('Drag source or target is not visible');
	await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
	await page.mouse.down();
	await page.mouse.move(source.x + source.width / 2 + 10, source.y + source.height / 2, {
		steps: 3
	});
	const y = where === 'top' ? target.y + 8 : target.y + target.height - 8;
	await page.mouse.move(target.x + target.width / 2, y, { steps: 12 });
	await page.mouse.up();
}

/**
 * Writes into a board's document from Node, as a second client of the same user would: a
 * provider authenticated with the user's session id. Much faster than the UI for big boards.
 */
export async function seedBoard(
	owner: Visitor,
	boardId: string,
	build: (doc: Y.Doc, ctx: OpContext) => void
) {
	const cookies = await owner.context.cookies();
	const session = cookies.find((cookie) => cookie.name.endsWith('tf_session'));
	if (!session) throw new Error('No session cookie');
	const origin = new URL(owner.page.url()).origin;
	const me = (await (await owner.page.request.get('/api/v1/me')).json()) as { id: string };
	const client = connect(origin, boardId, { token: session.value });
	try {
		expect(await client.ready, client.failures.join()).toBe(true);
		// One transaction, so the whole seed travels (and is stored) as one update.
		client.doc.transact(() => build(client.doc, { actorId: me.id }));
		await waitFor(() => !client.provider.hasUnsyncedChanges, 30_000, 'the seed to be stored');
	} finally {
		client.destroy();
	}
}

/** Drags a column by its handle and drops it over the left part of another column. */
export async function dragColumn(page: Page, title: string, before: string) {
	const handle = page.getByRole('button', { name: `Move column ${title}`, exact: true });
	const from = await handle.boundingBox();
	const to = await column(page, before).boundingBox();
	if (!from || !to) throw new Error('Column handle or target is not visible');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x - 20, from.y + 10, { steps: 4 });
	await page.mouse.move(to.x + 20, to.y + 40, { steps: 12 });
	await page.mouse.up();
}

/** A finger drag: press and hold (a drag starts after a pause), move, lift. */
export async function touchDrag(page: Page, from: Locator, to: Locator) {
	const source = await from.boundingBox();
	const target = await to.boundingBox();
	if (!source || !target) throw new Error('Drag source or target is not visible');
	const cdp = await page.context().newCDPSession(page);
	const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
		cdp.send('Input.dispatchTouchEvent', {
			type,
			touchPoints: type === 'touchEnd' ? [] : [{ x, y }]
		});
	const start = { x: source.x + source.width / 2, y: source.y + source.height / 2 };
	const end = { x: target.x + target.width / 2, y: target.y + 12 };
	await touch('touchStart', start.x, start.y);
	await page.waitForTimeout(400);
	for (let step = 1; step <= 10; step++) {
		const x = start.x + ((end.x - start.x) * step) / 10;
		const y = start.y + ((end.y - start.y) * step) / 10;
		await touch('touchMove', x, y);
	}
	await touch('touchEnd', end.x, end.y);
	await cdp.detach();
}

/**
 * Adds a "Review" column and `count` cards ("Card number 1", …) dealt round all columns, so
 * card n sits in column (n - 1) mod 4. A thousand cards per update: one update of thousands
 * would exceed the server's websocket message limit (WS_MAX_PAYLOAD, 2 MB).
 */
export async function seedCards(owner: Visitor, boardId: string, count: number) {
	const batch = 1000;
	for (let from = 0; from === 0 || from < count; from += batch) {
		await seedBoard(owner, boardId, (doc, ctx) => {
			const columns = readBoard(doc).columns.map((c) => c.id);
			if (from === 0) columns.push(createColumn(doc, { title: 'Review' }, ctx));
			for (let i = from; i < Math.min(count, from + batch); i++) {
				const columnId = columns[i % columns.length] as string;
				const labels = i % 3 === 0 ? ['bulk', `group ${i % 7}`] : [];
				createTask(doc, { columnId, title: `Card number ${i + 1}`, labels }, ctx);
			}
		});
	}
}

/**
 * Opens a page and times it from inside: Playwright's own polling is slow on a big DOM and
 * would be measured instead of the app. Milliseconds from navigation start; `editable` is when
 * the board is live and its add-card control enabled. Waits for that.
 */
export async function openTimed(page: Page, path: string): Promise<Record<string, number>> {
	await page.addInitScript(() => {
		// Observers rather than a polling loop: polling every frame makes the browser lay out the
		// half-parsed page again and again, which would slow down what is being measured.
		const marks: Record<string, number> = {};
		Object.assign(window, { __marks: marks });
		new MutationObserver(() => {
			const now = Math.round(performance.now());
			if (!marks.hydrated && document.documentElement.dataset.hydrated) marks.hydrated = now;
			const status = document.querySelector('[data-testid="connection-status"]');
			if (!marks.connected && status?.getAttribute('data-status') === 'connected') {
				marks.connected = now;
			}
			const add = document.querySelector('[data-testid="add-card"]');
			if (marks.connected && !marks.editable && add?.matches(':enabled')) marks.editable = now;
		}).observe(document, {
			subtree: true,
			childList: true,
			attributes: true,
			attributeFilter: ['data-hydrated', 'data-status', 'disabled']
		});
	});
	await page.goto(path);
	await page.waitForFunction(
		() => 'editable' in (window as unknown as { __marks: object }).__marks,
		undefined,
		{ timeout: 60_000 }
	);
	return page.evaluate(() => {
		const paint = performance.getEntriesByName('first-contentful-paint')[0];
		const response = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
		return {
			htmlKb: Math.round(response.transferSize / 1024),
			htmlBytes: response.decodedBodySize,
			htmlSentBytes: response.encodedBodySize,
			firstByteMs: Math.round(response.responseStart),
			responseMs: Math.round(response.responseEnd),
			firstPaintMs: Math.round(paint?.startTime ?? -1),
			parsedMs: Math.round(response.domInteractive),
			...(window as unknown as { __marks: Record<string, number> }).__marks
		};
	});
}

/** Average milliseconds from an input event in the open description to the next frame. */
export async function timeEdits(page: Page, count = 20): Promise<number> {
	return page.evaluate(async (count) => {
		const textarea = document.querySelector<HTMLTextAreaElement>(
			'[data-testid="card-description"]'
		);
		if (!textarea) throw new Error('No description open');
		const started = performance.now();
		for (let i = 0; i < count; i++) {
			textarea.setRangeText('x', textarea.value.length, textarea.value.length, 'end');
			textarea.dispatchEvent(new InputEvent('input', { bubbles: true }));
			await new Promise((resolve) => requestAnimationFrame(resolve));
		}
		return Math.round((performance.now() - started) / count);
	}, count);
}

/** Types into Find card and chooses the exact title: Enter goes there, Alt+Enter opens it. */
export async function findCard(page: Page, title: string, how: 'Enter' | 'Alt+Enter' = 'Enter') {
	const find = page.getByRole('combobox', { name: 'Find card' });
	await find.fill(title);
	await expect(
		page.getByRole('listbox', { name: 'Matching cards' }).getByRole('option').first()
	).toContainText(title);
	await find.press(how);
}
