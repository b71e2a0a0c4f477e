import { test as base, expect, type Page } from '@playwright/test';

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

export const test = base;
export { expect };
