/** The pages work under the Content-Security-Policy, and the guard in fixtures.ts can fail. */
import { expect, newPerson, open, signUpViaUi, test } from './fixtures.ts';

test('the public pages and the API reference load without a CSP violation', async ({ page }) => {
	for (const path of ['/login', '/signup']) await open(page, path);
	await page.goto('/api/docs');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await signUpViaUi(page, newPerson('Csp'));
	await open(page, '/settings/tokens');
});

// The guard itself: an inline script without the nonce is refused, and the guard sees it.
test('the guard reports a script the policy refuses', async ({ page, cspGuard }) => {
	await open(page, '/login');
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'document.title = "ran"';
		document.body.append(script);
	});
	await expect.poll(() => cspGuard.map((v) => v.directive)).toContain('script-src-elem');
	expect(await page.title()).not.toBe('ran');
	// Seen and expected here; any other violation would still fail the test at teardown.
	cspGuard.length = 0;
});
