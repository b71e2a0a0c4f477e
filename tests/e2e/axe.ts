/**
 * axe-core in the browser tests: the library's source is evaluated in the page through the
 * DevTools protocol (page.evaluate), which the app's strict CSP does not govern, so the pages
 * are checked under their real policy (no `bypassCSP`, no inline script tag).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';
import { expect } from './fixtures.ts';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeCount {
	page: string;
	/** Every violation (rules failed), whatever its impact. */
	all: number;
	/** Those of serious or critical impact. */
	serious: number;
	rules: string[];
}

/** Runs axe on the page as it is now (WCAG 2.1 A/AA and best practices). */
export async function runAxe(page: Page): Promise<Result[]> {
	const loaded = await page.evaluate(() => 'axe' in window);
	if (!loaded) await page.evaluate(source);
	const results = await page.evaluate(async () => {
		const axe = (
			window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }
		).axe;
		return axe.run(document, { resultTypes: ['violations'] });
	});
	return results.violations;
}

const describe = (violation: Result) =>
	`${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
		.slice(0, 3)
		.map((node) => node.target.join(' '))
		.join(' | ')}`;

/**
 * Checks the page, records its counts in `counts`, and fails on any violation, minor ones
 * included (listing them, with the first offending elements): every page has been clean, and a
 * minor rule (a textarea given the combobox role) hid a real screen-reader fault.
 */
export async function expectAccessible(page: Page, label: string, counts: AxeCount[]) {
	const violations = await runAxe(page);
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	counts.push({
		page: label,
		all: violations.length,
		serious: serious.length,
		rules: violations.map((v) => `${v.id}:${v.impact}`)
	});
	expect.soft(violations.map(describe), `axe violations on ${label}`).toEqual([]);
}
