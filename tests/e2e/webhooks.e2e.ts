/**
 * An owner registers a webhook from the board's webhook page, copies the secret shown once, and
 * sees a card they add arrive at a real receiver and in the delivery log; redelivery sends it
 * again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addCard, close, createBoard, expectLive, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';

let receiver: Server;
const received: { event: string; body: string }[] = [];

test.beforeAll(async () => {
	receiver = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
		req.on('end', () => {
			received.push({ event: String(req.headers['x-taskflow-event']), body });
			res.writeHead(204).end();
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => receiver.close());

test('an owner adds a webhook, sees its deliveries and redelivers one', async ({ browser }) => {
	const ana = await visitor(browser, 'Ana Hooks');
	const boardId = await createBoard(ana.page, 'Hooked board');
	const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/taskflow`;

	await open(ana.page, `/boards/${boardId}/webhooks`);
	await expect(ana.page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
	// A bad URL is explained next to the field, not a failure page.
	await ana.page.getByLabel('Endpoint URL').fill('ftp://example.com/x');
	await ana.page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(ana.page.getByText('Give an absolute http:// or https:// URL.')).toBeVisible();

	await ana.page.getByLabel('Endpoint URL').fill(url);
	await ana.page.getByRole('button', { name: 'Add webhook' }).click();
	await expect(ana.page.getByTestId('webhook-secret')).toHaveText(/^whsec_/);
	await expect(ana.page.getByTestId('webhook').filter({ hasText: url })).toContainText('Active');

	await open(ana.page, `/boards/${boardId}`);
	await expectLive(ana.page);
	await addCard(ana.page, 'To do', 'Tell the hook');
	await expect
		.poll(() => received.filter((r) => r.event === 'task.created').length, { timeout: 20_000 })
		.toBe(1);
	expect(received.find((r) => r.event === 'task.created')!.body).toContain('Tell the hook');

	await open(ana.page, `/boards/${boardId}/webhooks`);
	const row = ana.page.getByTestId('delivery').filter({ hasText: 'task.created' });
	await expect(row).toContainText('Delivered');
	await expect(row).toContainText('204');
	await row.getByRole('button', { name: /Redeliver/ }).click();
	await expect
		.poll(() => received.filter((r) => r.event === 'task.created').length, { timeout: 20_000 })
		.toBe(2);
	// The secret is not shown again once the page is reloaded.
	await open(ana.page, `/boards/${boardId}/webhooks`);
	await expect(ana.page.getByTestId('webhook-secret')).toHaveCount(0);
	await close(ana);
});
