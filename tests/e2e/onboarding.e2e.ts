import { expect, logInViaUi, newPerson, open, signUpViaUi, test } from './fixtures.ts';

test('sign up, create a board, invite a teammate who then sees it live', async ({ browser }) => {
	const ana = newPerson('Ana');
	const ben = newPerson('Ben');

	const benContext = await browser.newContext();
	const benPage = await benContext.newPage();
	await signUpViaUi(benPage, ben);
	await expect(benPage.getByText('No boards yet')).toBeVisible();

	const anaContext = await browser.newContext();
	const page = await anaContext.newPage();
	await signUpViaUi(page, ana);
	await page.getByLabel('Board title').fill('Launch plan');
	await page.getByRole('button', { name: 'Create board' }).click();
	await expect(page.getByTestId('board-title')).toHaveText('Launch plan');
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');

	await page.getByTestId('board-menu').click();
	await page.getByRole('menuitem', { name: 'Members…' }).click();
	const invite = page.locator('form.invite');
	await invite.getByLabel('Email').fill(ben.email);
	await invite.getByLabel('Role').selectOption('editor');
	await invite.getByRole('button', { name: 'Invite' }).click();
	await expect(page.getByText(`${ben.name} was added as editor.`)).toBeVisible();
	await expect(page.getByTestId('member-list')).toContainText(ben.email);

	await benContext.clearCookies();
	await logInViaUi(benPage, ben);
	await benPage.getByRole('link', { name: /Launch plan/ }).click();
	await expect(benPage.getByTestId('board-title')).toHaveText('Launch plan');
	await expect(benPage.getByTestId('connection-status')).toHaveAttribute(
		'data-status',
		'connected'
	);
	await expect(benPage.getByText('You can view this board but not change it.')).toHaveCount(0);

	await anaContext.close();
	await benContext.close();
});

test('a wrong password shows one message and keeps the email', async ({ page }) => {
	const cara = newPerson('Cara');
	await signUpViaUi(page, cara);
	await page.context().clearCookies();
	await open(page, '/login');
	await page.getByLabel('Email').fill(cara.email);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.');
	await expect(page.getByLabel('Email')).toHaveValue(cara.email);
});

test('signup explains a weak password next to the field', async ({ page }) => {
	await open(page, '/signup');
	await page.getByLabel('Name').fill('Dan');
	await page.getByLabel('Email').fill(`dan.${Date.now()}@example.com`);
	await page.getByLabel('Password').fill('password123');
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page.getByText('This password is too common; choose another.')).toBeVisible();
	await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
});
