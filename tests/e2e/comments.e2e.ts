import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addCard, card, close, expectLive, twoEditors } from './board-helpers.ts';

// Comments reach open cards when the relay has delivered their events (well under a second
// here); notifications as soon as the comment is committed.
const live = { timeout: 15_000 };

/** Counts the page's reads of card comments (`GET /api/v1/tasks/:id/comments`). */
function countCommentReads(page: Page): () => number {
	let reads = 0;
	page.on('request', (request) => {
		const path = new URL(request.url()).pathname;
		if (request.method() === 'GET' && /^\/api\/v1\/tasks\/[^/]+\/comments$/.test(path)) reads++;
	});
	return () => reads;
}

test('a comment mentioning a member with the autocomplete reaches their open card and bell live', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	const anaReads = countCommentReads(ana.page);
	const benReads = countCommentReads(ben.page);
	await addCard(ana.page, 'To do', 'Discuss the launch');
	await ana.page.keyboard.press('Escape');
	const taskId = await card(ana.page, 'Discuss the launch').getAttribute('data-card-id');
	await card(ana.page, 'Discuss the launch').click();
	await ben.page.goto(`/boards/${boardId}?card=${taskId}`);
	await expectLive(ben.page);
	const anaDialog = ana.page.getByTestId('card-dialog');
	const benDialog = ben.page.getByTestId('card-dialog');
	await expect(benDialog.getByTestId('card-comments')).toContainText('No comments yet.');

	// Typing "@Be" offers Ben; Enter picks him.
	const draft = anaDialog.getByTestId('comment-draft');
	await draft.click();
	await ana.page.keyboard.type('@Be');
	const list = anaDialog.getByRole('listbox', { name: 'Board members' });
	await expect(list).toBeVisible();
	const options = anaDialog.getByTestId('mention-list').getByRole('option');
	await expect(options).toHaveText(['Ben Okafor']);
	await expect(draft).toHaveAttribute(
		'aria-activedescendant',
		(await options.first().getAttribute('id'))!
	);
	await ana.page.keyboard.press('Enter');
	await expect(draft).toHaveValue('@Ben Okafor ');
	await expect(list).toBeHidden();
	await expect(draft).not.toHaveAttribute('aria-activedescendant');
	// Escape closes a list without closing the card.
	await ana.page.keyboard.type('hello @');
	await expect(list).toBeVisible();
	await ana.page.keyboard.press('Escape');
	await expect(list).toBeHidden();
	await expect(anaDialog).toBeVisible();
	await ana.page.keyboard.press('Backspace');
	await expect(draft).toHaveValue('@Ben Okafor hello ');
	await anaDialog.getByTestId('comment-post').click();
	await expect(draft).toHaveValue('');

	const anaComment = anaDialog.getByTestId('comment');
	await expect(anaComment).toHaveCount(1);
	await expect(anaComment).toContainText('Ana Lopez');
	await expect(anaComment).toContainText('just now');

	// Ben's open card shows it live, with author and time; his bell shows the mention.
	const benComment = benDialog.getByTestId('comment');
	await expect(benComment).toHaveCount(1, live);
	await expect(benComment.getByTestId('comment-body')).toHaveText('@Ben Okafor hello');
	await expect(benComment).toContainText('Ana Lopez');
	await expect(benComment.locator('time')).toHaveText('just now');
	await expect(ben.page.getByTestId('notification-count')).toHaveText('1', live);
	// An open card reads its comments when it opens and when they change, not in a loop: an
	// effect that tracked the thread's own answer asked again for every answer (~200 a second).
	expect(anaReads()).toBeGreaterThanOrEqual(1);
	expect(anaReads()).toBeLessThanOrEqual(4);
	expect(benReads()).toBeGreaterThanOrEqual(2); // on opening, and after Ana's comment
	expect(benReads()).toBeLessThanOrEqual(4);
	// The bell is behind the modal card: close the card first.
	await ben.page.keyboard.press('Escape');
	await expect(benDialog).toBeHidden();
	await ben.page.getByTestId('notification-bell').click();
	await expect(ben.page.getByTestId('notification').first()).toContainText(
		'Ana Lopez mentioned you on “Discuss the launch” on Launch plan'
	);
	await ben.page.keyboard.press('Escape');
	// Both card faces count it.
	await expect(
		card(ben.page, 'Discuss the launch').getByTestId('card-comment-count')
	).toContainText('1', live);
	await expect(
		card(ana.page, 'Discuss the launch').getByTestId('card-comment-count')
	).toContainText('1', live);
	await close(ana, ben);
});

test('a description shows rendered Markdown when not edited, and HTML and javascript: links are inert', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	await addCard(ana.page, 'To do', 'Formatted');
	await ana.page.keyboard.press('Escape');
	const taskId = await card(ana.page, 'Formatted').getAttribute('data-card-id');
	await card(ana.page, 'Formatted').click();
	const dialog = ana.page.getByTestId('card-dialog');

	// Keyboard: the Edit button opens the editor.
	await dialog.getByTestId('card-description-edit').focus();
	await ana.page.keyboard.press('Enter');
	const textarea = dialog.getByTestId('card-description');
	await expect(textarea).toBeFocused();
	await ana.page.keyboard.type(
		'**bold** and <script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> [click](javascript:window.__xss=3)'
	);
	await ana.page.keyboard.press('Tab');
	await expect(textarea).toBeHidden();

	for (const page of [ana.page]) {
		const rendered = page.getByTestId('card-description-rendered');
		await expect(rendered.locator('strong')).toHaveText('bold');
		await expect(rendered.locator('script, img, a')).toHaveCount(0);
		await expect(rendered).toContainText('<script>window.__xss = 1</script>');
		await expect(rendered).toContainText('[click](javascript:window.__xss=3)');
	}
	// Ben, opening the card, sees it rendered the same; nothing ran on either page.
	await ben.page.goto(`/boards/${boardId}?card=${taskId}`);
	await expect(ben.page.getByTestId('card-description-rendered').locator('strong')).toHaveText(
		'bold'
	);
	await ben.page
		.getByTestId('card-description-rendered')
		.getByText('[click]', { exact: false })
		.click();
	// A click on the text (not a link) starts editing.
	await expect(ben.page.getByTestId('card-description')).toBeFocused();
	for (const page of [ana.page, ben.page]) {
		expect(
			await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)
		).toBeUndefined();
	}
	await close(ana, ben);
});
