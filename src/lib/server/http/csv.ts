/**
 * CSV text (RFC 4180): fields with a comma, quote or line break are quoted, quotes doubled,
 * lines end in CRLF. A cell starting with = + - @ (or a tab or carriage return) is prefixed
 * with a single quote, since spreadsheets run such cells as formulas (CSV injection).
 */
const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
	if (value === null) return '';
	const safe = formulaStart.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(values: readonly (string | null)[]): string {
	return `${values.map(csvCell).join(',')}\r\n`;
}
