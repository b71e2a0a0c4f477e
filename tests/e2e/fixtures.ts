import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export interface Person {
	name: string;
	email: string;
	password: string;
}

let counter = 0;
export function newPerson(name: string): Person {
	counter += 1;
	return {
		name,
		email: `${name.toLowerCase()}.${Date.now()}.${counter}@example.com`,
		password: 'a long enough passphrase'
	};
}

/** Waits for hydration so clicks never race it (see +layout.svelte). */
export async function open(page: Page, path: string) {
	await page.goto(path);
	await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
}

export async function signUpViaUi(page: Page, person: Person) {
	await open(page, '/signup');
	await page.getByLabel('Name').fill(person.name);
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/boards$/);
}

export async function logInViaUi(page: Page, person: Person) {
	await open(page, '/login');
	await page.getByLabel('Email').fill(person.email);
	await page.getByLabel('Password').fill(person.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/boards$/);
}

/** What a page reported as blocked by the Content-Security-Policy. */
export interface CspViolation {
	directive: string;
	blocked: string;
	page: string;
}

/**
 * Collects CSP violations from every page of a context through the `securitypolicyviolation`
 * event, reported over a binding (which the page's policy cannot block). Chromium's
 * "Refused to …" lines are not console API calls, so Playwright's `console` event never sees
 * them: the DOM event is the signal.
 */
async function watchCsp(context: BrowserContext, violations: CspViolation[]) {
	await context.exposeBinding('__reportCspViolation', (_source, violation: CspViolation) => {
		violations.push(violation);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = (window as unknown as Record<string, (v: CspViolation) => void>)
				.__reportCspViolation;
			report?.({
				directive: event.effectiveDirective,
				blocked: event.blockedURI,
				page: event.documentURI
			});
		});
	});
}

/** Uncaught exceptions of every page of a context, with the page they happened on. */
function watchPageErrors(context: BrowserContext, errors: string[]) {
	const watch = (page: Page) =>
		page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
	context.pages().forEach(watch);
	context.on('page', watch);
}

/**
 * Every browser test runs under the app's real security headers and fails when a page reports
 * a CSP violation or throws an uncaught exception (a handler that threw after doing its work
 * looked fine to the test, while what it did next, such as an announcement, never happened),
 * in the default context and in any context the test opens itself.
 */
export const test = base.extend<{ cspGuard: CspViolation[] }>({
	cspGuard: [
		async ({ browser, context }, use) => {
			const violations: CspViolation[] = [];
			const pageErrors: string[] = [];
			await watchCsp(context, violations);
			watchPageErrors(context, pageErrors);
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (options) => {
				const opened = await newContext(options);
				await watchCsp(opened, violations);
				watchPageErrors(opened, pageErrors);
				return opened;
			};
			try {
				await use(violations);
			} finally {
				browser.newContext = newContext;
			}
			expect(violations, 'Content-Security-Policy violations').toEqual([]);
			expect(pageErrors, 'uncaught exceptions in pages').toEqual([]);
		},
		{ auto: true }
	]
});
export { expect };
