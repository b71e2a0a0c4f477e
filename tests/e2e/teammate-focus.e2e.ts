/**
 * A keyboard user keeps the focus on a card a teammate moves: the moved card's element is
 * re-inserted (or made anew in another column), which used to drop the focus to the page, so
 * arrow keys, Enter and Delete stopped working with nothing said.
 */
import type { Browser, Page } from '@playwright/test';
import {
	addCard,
	addMember,
	card,
	close,
	column,
	createBoard,
	dragTo,
	expectLive,
	openBoard,
	visitor
} from './board-helpers.ts';
import { expect, test } from './fixtures.ts';

/** Moves a card through the API with the page's cookie (a teammate's move). */
async function move(page: Page, boardId: string, title: string, to: string, before?: string) {
	const origin = new URL(page.url()).origin;
	const columns = (await (await page.request.get(`/api/v1/boards/${boardId}/columns`)).json())
		.items as { id: string; title: string }[];
	const tasks = (await (await page.request.get(`/api/v1/boards/${boardId}/tasks`)).json())
		.items as { id: string; title: string }[];
	const idOf = (name: string) => tasks.find((task) => task.title === name)!.id;
	const response = await page.request.post(`/api/v1/tasks/${idOf(title)}/move`, {
		data: {
			columnId: columns.find((c) => c.title === to)!.id,
			...(before ? { beforeTaskId: idOf(before) } : {})
		},
		headers: { origin }
	});
	expect(response.status(), await response.text()).toBe(200);
}

/** Ana's board with `titles` in To do, open for Ana and for Ben, an editor. */
async function boardOfTwo(browser: Browser, titles: string[]) {
	const ana = await visitor(browser, 'Ana Lopez');
	const ben = await visitor(browser, 'Ben Okafor');
	const boardId = await createBoard(ana.page, 'Focus board');
	await addMember(ana.page, boardId, ben.person.email, 'editor');
	for (const title of titles) await addCard(ana.page, 'To do', title);
	await ana.page.keyboard.press('Escape');
	await expectLive(ana.page);
	await openBoard(ben.page, boardId);
	return { ana, ben, boardId };
}

test('the focus stays on a card a teammate moves, within its column and to another', async ({
	browser
}) => {
	const { ana, ben, boardId } = await boardOfTwo(browser, ['First', 'Second', 'Third']);

	const second = card(ana.page, 'Second');
	await second.focus();
	await expect(second).toBeFocused();

	await move(ben.page, boardId, 'Second', 'To do', 'First');
	await expect(column(ana.page, 'To do').getByTestId('card').first()).toContainText('Second');
	await expect(second).toBeFocused();

	await move(ben.page, boardId, 'Second', 'In progress');
	await expect(card(column(ana.page, 'In progress'), 'Second')).toBeVisible();
	await expect(second).toBeFocused();
	// And the keyboard still works on it: Enter opens it.
	await ana.page.keyboard.press('Enter');
	await expect(ana.page.getByTestId('card-dialog')).toBeVisible();
	await close(ana, ben);
});

test('a card deleted by a teammate while open here: the focus goes to the notice, then to its column', async ({
	browser
}) => {
	const { ana, ben, boardId } = await boardOfTwo(browser, ['Keep', 'Doomed']);

	await card(ana.page, 'Doomed').click();
	const dialog = ana.page.getByTestId('card-dialog');
	await expect(dialog.getByLabel('Title')).toBeFocused();
	const tasks = (await (await ben.page.request.get(`/api/v1/boards/${boardId}/tasks`)).json())
		.items as { id: string; title: string }[];
	const doomed = tasks.find((task) => task.title === 'Doomed')!.id;
	const origin = new URL(ben.page.url()).origin;
	const gone = await ben.page.request.delete(`/api/v1/tasks/${doomed}`, { headers: { origin } });
	expect(gone.status(), await gone.text()).toBe(200);

	const notice = dialog.getByRole('status').filter({ hasText: 'This card is deleted.' });
	await expect(notice).toBeFocused();
	await ana.page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	// Back where the card was: its column's first card.
	await expect(card(ana.page, 'Keep')).toBeFocused();
	await close(ana, ben);
});

test('a card dropped with the mouse into another column gets the focus', async ({ browser }) => {
	const { ana, ben } = await boardOfTwo(browser, ['Dragged']);
	await addCard(ana.page, 'In progress', 'Target');
	await ana.page.keyboard.press('Escape');
	const dragged = card(ana.page, 'Dragged');
	await dragTo(ana.page, dragged, card(ana.page, 'Target'), 'top');
	await expect(card(column(ana.page, 'In progress'), 'Dragged')).toBeVisible();
	await expect(dragged).toBeFocused();
	await close(ana, ben);
});
