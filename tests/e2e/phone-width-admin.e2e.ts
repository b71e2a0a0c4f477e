/**
 * The admin console and the API tokens page on a 390 px phone: no page scrolls sideways (a wide
 * table scrolls inside its own box instead) and each view's main action is on screen.
 */
import type { Locator, Page } from '@playwright/test';
import { expectAccessible, type AxeCount } from './axe.ts';
import { close, visitor } from './board-helpers.ts';
import { expect, open, test } from './fixtures.ts';
import { promoteToAdmin } from './server-control.ts';

const phone = { width: 390, height: 844 };

/** The page is no wider than the screen, and `action` lies inside it. */
async function expectFits(page: Page, view: string, action: Locator) {
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	test.info().annotations.push({ type: 'page width', description: `${view}: ${width} px` });
	expect.soft(width, `${view} is ${width} px wide`).toBeLessThanOrEqual(phone.width);
	await expect(action).toBeVisible();
	// Scrolled to it as a person would reach it; it then lies wholly inside the screen.
	await action.scrollIntoViewIfNeeded();
	const box = (await action.boundingBox())!;
	expect.soft(box.x, `${view}: left edge of its main action`).toBeGreaterThanOrEqual(0);
	expect
		.soft(box.x + box.width, `${view}: right edge of its main action`)
		.toBeLessThanOrEqual(phone.width);
}

test('on a 390 px phone the admin console and API tokens fit the screen', async ({ browser }) => {
	const admin = await visitor(browser, 'Pia Phone', { viewport: phone });
	await promoteToAdmin(admin.person.email);
	const { page } = admin;

	// A long name without a break opportunity: the widest thing the tokens table gets to show.
	const longName = `ci_deploy_production_eu_west_1_nightly_backup_runner_${Date.now()}`;
	await open(page, '/settings/tokens');
	await page.getByLabel('Token name').fill(longName);
	await page.getByRole('button', { name: 'Create token' }).click();
	await expect(page.getByTestId('new-token')).toBeVisible();
	await expect(page.getByRole('cell', { name: longName, exact: true })).toBeAttached();
	await expectFits(page, '/settings/tokens', page.getByRole('button', { name: 'Create token' }));
	await expectFits(
		page,
		'/settings/tokens (revoke)',
		page.getByRole('button', { name: `Revoke ${longName}` })
	);

	// Each tab once its content is in: the main action of each, and a sign its data arrived.
	const tabs: { name: string; ready: () => Locator; action: () => Locator }[] = [
		{
			name: 'Users',
			ready: () => page.getByTestId('admin-user-row').first(),
			action: () =>
				page.locator('#panel-users').getByRole('button', { name: 'Search', exact: true })
		},
		{
			name: 'Boards',
			ready: () =>
				page.getByRole('table', { name: 'Boards' }).and(page.locator('[aria-busy="false"]')),
			action: () =>
				page.locator('#panel-boards').getByRole('button', { name: 'Search', exact: true })
		},
		{
			name: 'Broadcasts',
			ready: () => page.getByRole('heading', { name: 'Sent messages' }),
			action: () => page.getByRole('button', { name: 'Send to everyone' })
		},
		{
			name: 'Audit log',
			ready: () =>
				page
					.getByRole('list', { name: 'Audit events, newest first' })
					.and(page.locator('[aria-busy="false"]')),
			action: () => page.getByRole('button', { name: 'Apply filters' })
		},
		{
			name: 'System',
			ready: () => page.getByTestId('system-instance').first(),
			action: () => page.getByRole('button', { name: 'Refresh', exact: true })
		}
	];
	const axeCounts: AxeCount[] = [];
	await open(page, '/admin');
	for (const { name, ready, action } of tabs) {
		const tab = page.getByRole('tab', { name });
		await tab.click();
		await expect(tab).toHaveAttribute('aria-selected', 'true');
		await expect(ready()).toBeVisible();
		// The selected tab is on screen too, even when the tab row is wider than the phone.
		await expect(tab).toBeInViewport({ ratio: 1 });
		await expectFits(page, `/admin: ${name}`, action());
		// With its tables scrolling in their own regions, the tab still passes axe.
		await expectAccessible(page, `/admin: ${name} at 390 px`, axeCounts);
	}

	// The users table is wider than the phone: it scrolls in a named region that the keyboard
	// reaches and scrolls.
	await page.getByRole('tab', { name: 'Users' }).click();
	const users = page.getByRole('region', { name: 'Users table' });
	await users.focus();
	await expect(users).toBeFocused();
	await page.keyboard.press('ArrowRight');
	await expect.poll(() => users.evaluate((box) => box.scrollLeft)).toBeGreaterThan(0);

	// Reached with the keyboard from the first tab, the last tab is scrolled into view.
	await page.getByRole('tab', { name: 'Users' }).click();
	await page.keyboard.press('End');
	await expect(page.getByRole('tab', { name: 'System' })).toBeFocused();
	await expect(page.getByRole('tab', { name: 'System' })).toBeInViewport({ ratio: 1 });

	// Opened straight on the last tab (a link to ?tab=system), it is in view from the start.
	await open(page, '/admin?tab=system');
	await expect(page.getByRole('tab', { name: 'System' })).toBeInViewport({ ratio: 1 });
	await expect(page.getByTestId('system-instance').first()).toBeVisible();
	await expectFits(
		page,
		'/admin?tab=system',
		page.getByRole('button', { name: 'Refresh', exact: true })
	);

	await close(admin);
});
