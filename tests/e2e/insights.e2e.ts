import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addCard, close, createBoard, visitor } from './board-helpers.ts';

/** Moves a card through the API with the page's cookie: each answer comes after its rows. */
async function move(page: Page, boardId: string, title: string, columnTitle: string) {
	const headers = { origin: new URL(page.url()).origin };
	const columns = await (await page.request.get(`/api/v1/boards/${boardId}/columns`)).json();
	const tasks = await (await page.request.get(`/api/v1/boards/${boardId}/tasks`)).json();
	const columnId = columns.items.find((c: { title: string }) => c.title === columnTitle).id;
	const taskId = tasks.items.find((t: { title: string }) => t.title === title).id;
	const res = await page.request.post(`/api/v1/tasks/${taskId}/move`, {
		data: { columnId },
		headers
	});
	expect(res.status(), await res.text()).toBe(200);
}

test('Insights shows the charts of a board with moved cards, each with its table', async ({
	browser
}) => {
	const ana = await visitor(browser, 'Ana Lopez');
	const { page } = ana;
	const boardId = await createBoard(page, 'Flow board');
	for (const title of ['Ship it', 'Write docs', 'Plan next']) await addCard(page, 'To do', title);
	await page.keyboard.press('Escape');
	await move(page, boardId, 'Ship it', 'In progress');
	await move(page, boardId, 'Ship it', 'Done');
	await move(page, boardId, 'Write docs', 'In progress');

	await page.getByTestId('insights-link').click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/insights$`));
	await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();

	for (const [id, title] of [
		['flow', 'Cumulative flow'],
		['throughput', 'Throughput'],
		['cycle', 'Cycle time'],
		['wip', 'Work in progress now']
	]) {
		const figure = page.getByTestId(`${id}-chart`);
		await expect(figure.getByRole('heading', { name: title })).toBeVisible();
		await expect(figure.getByRole('img')).toBeVisible();
		const details = figure.getByTestId(`${id}-table`);
		await expect(details.getByRole('table')).toBeHidden();
		await details.getByText('Show as table').click();
		await expect(details.getByRole('table')).toBeVisible();
	}

	// Today's row of the flow: one card in each kind of column.
	const today = new Date().toISOString().slice(0, 10);
	const flowRow = page.getByTestId('flow-table').getByRole('row', { name: today });
	await expect(flowRow.getByRole('cell')).toHaveText(['1', '1', '1']);
	await expect(page.getByTestId('flow-chart').locator('svg path')).toHaveCount(3);

	const weeks = page.getByTestId('throughput-table').getByRole('row');
	await expect(weeks.last().getByRole('cell').last()).toHaveText('1');
	await expect(page.getByTestId('throughput-chart').locator('svg rect')).not.toHaveCount(0);

	await expect(page.getByTestId('cycle-summary')).toContainText(/Cards\s*1\b/);
	await expect(page.getByTestId('cycle-table').getByRole('row', { name: /Ship it/ })).toBeVisible();
	await expect(page.getByTestId('cycle-chart').locator('svg circle')).toHaveCount(1);

	const wip = page.getByTestId('wip-table');
	for (const name of ['To do', 'In progress', 'Done']) {
		await expect(wip.getByRole('row', { name }).getByRole('cell').first()).toHaveText('1');
	}
	await expect(page.getByTestId('wip-chart').locator('svg rect')).toHaveCount(3);

	// The form asks for another range; a reversed one is refused with a message.
	const form = page.getByTestId('insights-range');
	await form.getByLabel('From').fill('2026-01-10');
	await form.getByLabel('To').fill('2026-01-01');
	await form.getByRole('button', { name: 'Show' }).click();
	await expect(page.getByRole('alert')).toContainText('on or before');
	await close(ana);
});
