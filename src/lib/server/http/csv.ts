/**
 * CSV text (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled,
 * lines end in CRLF. A cell a spreadsheet would run as a formula is quoted (`guardFormula`).
 */
import { guardFormula } from '../../domain/csv-formula.ts';

export function csvCell(value: string | null): string {
	if (value === null) return '';
	const safe = guardFormula(value);
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly (string | null)[]): string {
	return `${values.map(csvCell).join(',')}\r\n`;
}
