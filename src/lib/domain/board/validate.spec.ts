import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { boardMap } from './schema.ts';
import {
	assertWritable,
	validateAssignee,
	validateCategory,
	validateDescription,
	validateDueDate,
	validateLabels,
	validatePriority,
	validateTitle,
	validateWipLimit
} from './validate.ts';

function codeOf(check: () => unknown): string | null {
	try {
		check();
	} catch (error) {
		if (error instanceof DomainError) return `${error.code}:${error.field}`;
		throw error;
	}
	return null;
}

describe('validateTitle', () => {
	it('trims and accepts up to 255 characters', () => {
		expect(validateTitle('  Ship it  ')).toBe('Ship it');
		expect(validateTitle('x'.repeat(255))).toHaveLength(255);
	});

	it('refuses empty, whitespace, overlong, multi-line and non-string titles', () => {
		for (const title of ['', '   ', 'x'.repeat(256), 'a\nb', 'tab\there', 'nul\u0000', 42, null]) {
			expect(codeOf(() => validateTitle(title))).toBe('invalid_title:title');
		}
		expect(codeOf(() => validateTitle('', 'name'))).toBe('invalid_title:name');
	});
});

describe('validateDueDate', () => {
	it('accepts real calendar days and null', () => {
		for (const date of ['2026-02-28', '2024-02-29', '2000-02-29', '2026-12-31', null]) {
			expect(validateDueDate(date)).toBe(date);
		}
	});

	it('refuses impossible days and other formats', () => {
		for (const date of [
			'2026-02-30',
			'2023-02-29',
			'1900-02-29',
			'2026-04-31',
			'2026-13-01',
			'2026-00-10',
			'0000-01-01',
			'tomorrow',
			'2026-2-3',
			'2026-02-03T00:00:00Z',
			20260203,
			''
		]) {
			expect(codeOf(() => validateDueDate(date))).toBe('invalid_date:dueDate');
		}
	});
});

describe('validateWipLimit', () => {
	it('accepts null and whole numbers from 1 to 999', () => {
		for (const limit of [null, 1, 5, 999]) expect(validateWipLimit(limit)).toBe(limit);
	});

	it('refuses 0, fractions, 1000 and non-numbers', () => {
		for (const limit of [0, 1.5, 1000, -1, Number.NaN, '3', undefined]) {
			expect(codeOf(() => validateWipLimit(limit))).toBe('invalid_wip_limit:wipLimit');
		}
	});
});

describe('validatePriority and validateCategory', () => {
	it('accept the known values only', () => {
		expect(validatePriority('urgent')).toBe('urgent');
		expect(codeOf(() => validatePriority('critical'))).toBe('invalid_priority:priority');
		expect(validateCategory('in_progress')).toBe('in_progress');
		expect(codeOf(() => validateCategory('doing'))).toBe('invalid_category:category');
	});
});

describe('validateAssignee', () => {
	it('accepts null, any id without a member list, and members with one', () => {
		expect(validateAssignee(null, { actorId: 'a' })).toBeNull();
		expect(validateAssignee('u-9', { actorId: 'a' })).toBe('u-9');
		expect(validateAssignee('u-1', { actorId: 'a', memberIds: new Set(['u-1']) })).toBe('u-1');
	});

	it('refuses non-members and malformed ids', () => {
		const ctx = { actorId: 'a', memberIds: new Set(['u-1']) };
		expect(codeOf(() => validateAssignee('u-2', ctx))).toBe('invalid_assignee:assigneeId');
		expect(codeOf(() => validateAssignee('', { actorId: 'a' }))).toBe(
			'invalid_assignee:assigneeId'
		);
		expect(codeOf(() => validateAssignee(7, { actorId: 'a' }))).toBe('invalid_assignee:assigneeId');
	});
});

describe('validateLabels', () => {
	it('trims and drops repeats', () => {
		expect(validateLabels([' bug ', 'ui', 'bug'])).toEqual(['bug', 'ui']);
		expect(validateLabels([])).toEqual([]);
	});

	it('refuses empty, overlong or too many labels', () => {
		for (const labels of [
			[''],
			['  '],
			['x'.repeat(41)],
			['a\nb'],
			[3],
			'bug',
			Array.from({ length: 21 }, (_, i) => `l${i}`)
		]) {
			expect(codeOf(() => validateLabels(labels))).toBe('invalid_label:labels');
		}
	});
});

describe('validateDescription', () => {
	it('accepts multi-line text up to the limit', () => {
		expect(validateDescription('a\nb')).toBe('a\nb');
		expect(validateDescription('x'.repeat(20000))).toHaveLength(20000);
	});

	it('refuses overlong text, NUL and non-strings', () => {
		for (const text of ['x'.repeat(20001), 'a\u0000', null]) {
			expect(codeOf(() => validateDescription(text))).toBe('invalid_description:description');
		}
	});
});

describe('assertWritable', () => {
	it('accepts new and version-1 documents and refuses other versions', () => {
		const doc = new Y.Doc();
		expect(() => assertWritable(doc)).not.toThrow();
		boardMap(doc).set('schemaVersion', 1);
		expect(() => assertWritable(doc)).not.toThrow();
		boardMap(doc).set('schemaVersion', 2);
		expect(codeOf(() => assertWritable(doc))).toBe('unsupported_schema:null');
	});
});
