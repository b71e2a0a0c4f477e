import { describe, expect, it } from 'vitest';
import { maxLabelLength, maxTitleLength } from '../board/schema.ts';
import { cleanLabels, cleanTitle, guessCategory, reportLabels, type SkippedItem } from './plan.ts';

/** A report nobody reads, for the cases about the title itself. */
const report = () => ({ skipped: [] as SkippedItem[], of: (title: string) => `of “${title}”` });

describe('import titles and labels', () => {
	it('are cut to the board’s limits without splitting a character made of two UTF-16 units', () => {
		// Cut at 255 units before: half an emoji at the end, which PostgreSQL refuses (22P02).
		const title = cleanTitle('😀'.repeat(300), 'x', report());
		expect(title.isWellFormed()).toBe(true);
		expect(title).toBe('😀'.repeat(127));
		expect(cleanTitle('a' + '😀'.repeat(300), 'x', report())).toBe('a' + '😀'.repeat(127));
		expect(cleanTitle('a'.repeat(300), 'x', report())).toHaveLength(maxTitleLength);

		const { labels } = cleanLabels(['😀'.repeat(30), 'b' + '😀'.repeat(30)]);
		expect(labels).toEqual(['😀'.repeat(maxLabelLength / 2), 'b' + '😀'.repeat(19)]);
		expect(labels.every((label) => label.isWellFormed())).toBe(true);
	});

	it('report a cut title, naming what it belongs to by the title as kept', () => {
		const cut = report();
		expect(cleanTitle(`${'a'.repeat(250)}  b\n${'c'.repeat(20)}`, 'x', cut)).toHaveLength(255);
		expect(cleanTitle('a'.repeat(255), 'x', cut)).toHaveLength(255);
		expect(cut.skipped).toEqual([
			{
				what: `The end of the title of “${'a'.repeat(250)} b cc”`,
				reason: `longer than ${maxTitleLength} characters`
			}
		]);
	});

	it('replace lone surrogates and drop NUL, falling back when nothing is left', () => {
		expect(cleanTitle('a\uD800b\u0000c', 'x', report())).toBe('a\uFFFDbc');
		expect(cleanTitle('\u0000 \u0000', 'Untitled', report())).toBe('Untitled');
		expect(cleanLabels(['\uDC00tag']).labels).toEqual(['\uFFFDtag']);
	});
});

describe('reportLabels', () => {
	it('lists a few cut labels, each shortened, and counts the rest', () => {
		const labels = Array.from({ length: 12 }, (_, i) => `${i}${'l'.repeat(100_000)}`);
		const skipped: SkippedItem[] = [];
		reportLabels(cleanLabels(labels), 'in row 2', skipped);
		expect(skipped).toHaveLength(1);
		expect(skipped[0]!.what).toMatch(/^The end of labels in row 2: 0l+…, 1l+…, .* and 7 more$/);
		expect(skipped[0]!.what.length).toBeLessThan(500);
	});

	it('reports a label whose cut makes it one already kept', () => {
		const skipped: SkippedItem[] = [];
		const cleaned = cleanLabels(['a'.repeat(40), 'a'.repeat(41)]);
		reportLabels(cleaned, 'of “C”', skipped);
		expect(cleaned.labels).toEqual(['a'.repeat(40)]);
		expect(skipped).toEqual([
			{ what: `The end of labels of “C”: ${'a'.repeat(41)}`, reason: 'longer than 40 characters' }
		]);
	});
});

describe('guessCategory', () => {
	it('reads done and in-progress columns from their names', () => {
		for (const name of ['Done', 'Done ✅', 'Completed tasks', 'Erledigt', 'Terminé', 'Shipped']) {
			expect(guessCategory(name), name).toBe('done');
		}
		for (const name of ['Doing', 'In Progress', 'Code review', 'QA', 'En cours', 'WIP']) {
			expect(guessCategory(name), name).toBe('in_progress');
		}
		for (const name of [
			'To do',
			'Backlog',
			'Ideas',
			'Undone',
			'Reviewers wanted',
			'Qatar trip',
			'Not started',
			'To be done',
			'Things to get done',
			'Not done',
			'Nicht erledigt',
			'Pas fini',
			'Review backlog'
		]) {
			expect(guessCategory(name), name).toBe('todo');
		}
	});
});
