import { expect, open, test } from './fixtures.ts';
import { addCard, card, close, twoEditors } from './board-helpers.ts';

// Board events (and the notifications they cause) are committed with the debounced store.
const committed = { timeout: 15_000 };

test('the bell counts a new assignment live in every tab, and reading it clears the count', async ({
	browser
}) => {
	const { ana, ben, boardId } = await twoEditors(browser);
	const bell = ben.page.getByTestId('notification-bell');
	await expect(bell).toHaveAccessibleName('Notifications, none unread');
	// A second tab of Ben's, on another page: the bell lives in every page's header.
	const otherTab = await ben.context.newPage();
	await open(otherTab, '/boards');
	const otherBell = otherTab.getByTestId('notification-bell');
	await expect(otherBell).toHaveAccessibleName('Notifications, none unread');

	// Ana's page was open when Ben joined: its assignee list learns of him live.
	await addCard(ana.page, 'To do', 'Fix login');
	await ana.page.keyboard.press('Escape');
	await card(ana.page, 'Fix login').click();
	await ana.page.getByTestId('card-assignee').selectOption({ label: 'Ben Okafor' });

	await expect(ben.page.getByTestId('notification-count')).toHaveText('1', committed);
	await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
	await expect(otherTab.getByTestId('notification-count')).toHaveText('1', committed);

	// Keyboard: open, read, Escape closes and gives focus back.
	await bell.focus();
	await ben.page.keyboard.press('Enter');
	const panel = ben.page.getByRole('region', { name: 'Notifications' });
	await expect(panel).toBeVisible();
	const items = panel.getByTestId('notification');
	await expect(items).toHaveCount(1);
	await expect(items.first()).toContainText('Ana Lopez assigned you to “Fix login” on Launch plan');
	await expect(items.first()).toContainText(/just now|min ago/);
	await ben.page.keyboard.press('Escape');
	await expect(panel).toBeHidden();
	await expect(bell).toBeFocused();

	// Following the notification opens the card and marks it read, in the other tab too.
	await bell.click();
	await items.first().getByRole('link').click();
	await expect(ben.page).toHaveURL(new RegExp(`/boards/${boardId}\\?card=`));
	await expect(ben.page.getByTestId('card-dialog')).toBeVisible();
	await expect(ben.page.getByTestId('notification-count')).toBeHidden();
	await expect(otherTab.getByTestId('notification-count')).toBeHidden(committed);
	await expect(otherBell).toHaveAccessibleName('Notifications, none unread');

	// Unassigned: a second notification; "Mark all read" clears it.
	await ana.page.getByTestId('card-assignee').selectOption({ label: 'Unassigned' });
	await expect(otherTab.getByTestId('notification-count')).toHaveText('1', committed);
	await otherBell.click();
	const otherPanel = otherTab.getByRole('region', { name: 'Notifications' });
	await expect(otherPanel.getByTestId('notification').first()).toContainText(
		'Ana Lopez unassigned you from “Fix login”'
	);
	await otherPanel.getByRole('button', { name: 'Mark all read' }).click();
	await expect(otherTab.getByTestId('notification-count')).toBeHidden();
	await expect(otherPanel.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
	await expect(ben.page.getByTestId('notification-count')).toBeHidden(committed);

	// On a phone-sized screen the header wraps rather than pushing controls off the page.
	await otherTab.setViewportSize({ width: 390, height: 800 });
	await expect(otherBell).toBeInViewport();
	await expect(otherTab.getByRole('button', { name: 'Log out' })).toBeInViewport();
	expect(await otherTab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		390
	);

	await close(ana, ben);
});
