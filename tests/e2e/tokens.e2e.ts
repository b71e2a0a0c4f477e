import { expect, newPerson, open, signUpViaUi, test } from './fixtures.ts';

test('create an API token, use it, revoke it', async ({ page }) => {
	const eve = newPerson('Eve');
	await signUpViaUi(page, eve);
	await page.getByRole('link', { name: 'API tokens' }).click();
	await expect(page).toHaveURL(/\/settings\/tokens$/);
	await expect(page.getByText('No tokens yet.')).toBeVisible();

	await page.getByLabel('Token name').fill('Nightly report');
	await page.getByLabel('Scope').selectOption('read');
	await page.getByRole('button', { name: 'Create token' }).click();
	const secret = (await page.getByTestId('new-token').textContent())!.trim();
	expect(secret).toMatch(/^tf_/);
	await expect(page.getByRole('cell', { name: 'Nightly report', exact: true })).toBeVisible();

	const me = await page.request.get('/api/v1/me', {
		headers: { authorization: `Bearer ${secret}` }
	});
	expect((await me.json()).email).toBe(eve.email);

	await open(page, '/settings/tokens');
	await expect(page.getByTestId('new-token')).toHaveCount(0);
	await page.getByRole('button', { name: 'Revoke Nightly report' }).click();
	await expect(page.getByText('Revoked')).toBeVisible();
	const after = await page.request.get('/api/v1/me', {
		headers: { authorization: `Bearer ${secret}` }
	});
	expect(after.status()).toBe(401);
});
