import { describe, expect, it } from 'vitest';
import {
	maxCsvCellLength,
	maxCsvFields,
	maxCsvRows,
	parseCsv,
	planFromCsv,
	suggestMapping
} from './csv.ts';
import { ImportFormatError } from './plan.ts';

describe('CSV parsing', () => {
	it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF and a BOM', () => {
		const text = '\uFEFFTitle,Description\r\n"Say ""hi""","line one\nline two"\r\nplain,\r\n';
		expect(parseCsv(text)).toEqual([
			['Title', 'Description'],
			['Say "hi"', 'line one\nline two'],
			['plain', '']
		]);
	});

	it('takes semicolons or tabs as the separator when the header row has more of them', () => {
		expect(parseCsv('\uFEFFTitel;Spalte;Beschreibung\n"Zahl 1,5";Offen;a, b\n')).toEqual([
			['Titel', 'Spalte', 'Beschreibung'],
			['Zahl 1,5', 'Offen', 'a, b']
		]);
		expect(parseCsv('Title\tColumn\nA, B\tDoing\n')).toEqual([
			['Title', 'Column'],
			['A, B', 'Doing']
		]);
		// A comma-separated file whose header quotes a semicolon stays comma-separated.
		expect(parseCsv('"A;B;C",D\nx,y\n')).toEqual([
			['A;B;C', 'D'],
			['x', 'y']
		]);
	});

	it('skips blank lines and refuses an unterminated quote or an empty file', () => {
		expect(parseCsv('a\n\n\nb\n')).toEqual([['a'], ['b']]);
		expect(() => parseCsv('a,"b\n')).toThrow(ImportFormatError);
		expect(() => parseCsv('')).toThrow(/empty/);
	});
});

describe('CSV import plans', () => {
	const rows = parseCsv(
		[
			'Name,Notes,Status,Tags,Due date,Priority,Assignee email',
			'Fix login,"Users see 500, sometimes",Doing,"bug, urgent-ish",2026-09-01,HIGH,ana@example.com',
			'Write docs,,To do,,,low,',
			',missing title,To do,,,,',
			'Ship it,,Done,,next week,critical,',
			'Café ☕ menu,,Doing,,,,'
		].join('\n')
	);

	it('guesses the mapping from common header names', () => {
		expect(suggestMapping(rows[0]!)).toEqual({
			title: 0,
			description: 1,
			column: 2,
			labels: 3,
			due: 4,
			priority: 5,
			assignee: 6
		});
		expect(suggestMapping(['x', 'y'])).toMatchObject({ title: null, column: null });
	});

	it('makes columns in order of first appearance and cards in file order, reporting what it changed', () => {
		const plan = planFromCsv(rows, suggestMapping(rows[0]!), 'From CSV');
		expect(plan.columns.map((c) => [c.title, c.cards.map((card) => card.title)])).toEqual([
			['Doing', ['Fix login', 'Café ☕ menu']],
			['To do', ['Write docs']],
			['Done', ['Ship it']]
		]);
		expect(plan.columns[0]!.cards[0]).toMatchObject({
			description: 'Users see 500, sometimes',
			labels: ['bug', 'urgent-ish'],
			dueDate: '2026-09-01',
			priority: 'high',
			assignee: { email: 'ana@example.com' }
		});
		expect(plan.skipped).toEqual([
			{ what: 'Row 4', reason: 'it has no title' },
			{ what: 'Due date “next week” in row 5', reason: 'not a YYYY-MM-DD date' },
			{
				what: 'Priority “critical” in row 5',
				reason: 'not low, medium, high or urgent; medium used'
			}
		]);
	});

	it('puts everything in one "To do" column without a column mapping, and needs a title column', () => {
		const mapping = { ...suggestMapping(rows[0]!), column: null };
		expect(planFromCsv(rows, mapping, '').columns.map((c) => c.title)).toEqual(['To do']);
		expect(() => planFromCsv(rows, { ...mapping, title: null }, 'x')).toThrow(/titles/);
		expect(() => planFromCsv(rows, { ...mapping, labels: 9 }, 'x')).toThrow(/labels column/);
	});
});
describe('a TaskFlow CSV export imported back', () => {
	it('takes off the quote the export put before would-be formulas, and keeps indented text', () => {
		const rows = parseCsv(
			[
				'Title,Description,Column,Assignee',
				`'=1+1,"  indented\n  code",'@Done,'-2+3@qa.test`,
				"'tis the season,,To do,"
			].join('\n')
		);
		const plan = planFromCsv(rows, { ...suggestMapping(rows[0]!), assignee: 3 }, 'Back');
		const [first, second] = plan.columns;
		expect(first!.title).toBe('@Done');
		expect(first!.cards[0]).toMatchObject({
			title: '=1+1',
			description: '  indented\n  code',
			assignee: { email: '-2+3@qa.test' }
		});
		expect(second!.cards[0]!.title).toBe("'tis the season");
	});
});

describe('CSV limits, checked while reading', () => {
	const timed = <T>(run: () => T): number => {
		const started = performance.now();
		try {
			run();
		} catch {
			// The refusal is checked separately; this measures how soon it comes.
		}
		return performance.now() - started;
	};

	it(`takes ${maxCsvRows} rows and refuses one more`, () => {
		const rows = (n: number) => 'Title\n' + 'card\n'.repeat(n);
		expect(parseCsv(rows(maxCsvRows))).toHaveLength(maxCsvRows + 1);
		expect(() => parseCsv(rows(maxCsvRows + 1))).toThrow(
			`The CSV file has more than ${maxCsvRows} rows; import at most ${maxCsvRows} at a time.`
		);
	});

	it('refuses 20 MB of empty rows without reading them all', () => {
		// Parsed whole before the row count was checked: 20 s and 2 GB of arrays.
		const hostile = ',\n'.repeat(10_000_000);
		expect(() => parseCsv(hostile)).toThrow(ImportFormatError);
		expect(timed(() => parseCsv(hostile))).toBeLessThan(2_000);
	});

	it(`takes ${maxCsvFields} columns a row and refuses more`, () => {
		expect(parseCsv('a' + ',b'.repeat(maxCsvFields - 1))[0]).toHaveLength(maxCsvFields);
		expect(() => parseCsv('t\nx' + ',y'.repeat(maxCsvFields))).toThrow(
			`Row 2 of the CSV file has more than ${maxCsvFields} columns`
		);
		const hostile = ','.repeat(20_000_000);
		expect(() => parseCsv(hostile)).toThrow(/more than 100 columns/);
		expect(timed(() => parseCsv(hostile))).toBeLessThan(2_000);
	});

	it(`takes cells of ${maxCsvCellLength} characters and refuses longer ones`, () => {
		expect(parseCsv('t\n' + 'x'.repeat(maxCsvCellLength))[1]![0]).toHaveLength(maxCsvCellLength);
		expect(() => parseCsv('t,d\nx,' + 'y'.repeat(maxCsvCellLength + 1))).toThrow(
			`Column 2 of row 2 of the CSV file is longer than ${maxCsvCellLength} characters.`
		);
		expect(() => parseCsv('t\n"open' + '\nrow'.repeat(20_000))).toThrow(
			/longer than 50000 characters: is a closing " missing\?/
		);
	});

	it('makes cells storable: lone surrogates replaced, NUL dropped', () => {
		expect(parseCsv('t,d\n"a\uD800",b\u0000c')[1]).toEqual(['a\uFFFD', 'bc']);
	});

	it('cuts long descriptions without splitting a character', () => {
		const rows = parseCsv('Title,Description\nx,' + '😀'.repeat(15_000));
		const plan = planFromCsv(rows, suggestMapping(rows[0]!), 'x');
		const description = plan.columns[0]!.cards[0]!.description;
		expect(description).toBe('😀'.repeat(10_000));
		expect(plan.skipped).toContainEqual({
			what: 'The end of the description in row 2',
			reason: 'longer than 20000 characters'
		});
	});

	it('reports a title cut to 255 characters, and a cut column title once', () => {
		const long = 'T'.repeat(300);
		const rows = parseCsv(`Title,List\n${long},${'L'.repeat(260)}\nShort,${'L'.repeat(260)}`);
		const plan = planFromCsv(rows, suggestMapping(rows[0]!), 'B'.repeat(256));
		expect(plan.columns[0]!.cards.map((c) => c.title)).toEqual(['T'.repeat(255), 'Short']);
		expect(plan.skipped).toEqual([
			{ what: 'The end of the title in row 2', reason: 'longer than 255 characters' },
			{
				what: `The end of the title of column “${'L'.repeat(255)}” in row 2`,
				reason: 'longer than 255 characters'
			},
			{ what: 'The end of the title of the board', reason: 'longer than 255 characters' }
		]);
	});

	it('reports labels cut to 40 characters', () => {
		const long = 'l'.repeat(45);
		const rows = parseCsv(`Title,Labels\nCard,"short, ${long}"`);
		const plan = planFromCsv(rows, suggestMapping(rows[0]!), 'Board');
		expect(plan.columns[0]!.cards[0]!.labels).toEqual(['short', 'l'.repeat(40)]);
		expect(plan.skipped).toEqual([
			{ what: `The end of labels in row 2: ${long}`, reason: 'longer than 40 characters' }
		]);
	});
});
