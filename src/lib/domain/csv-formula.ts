/**
 * Spreadsheets run a cell starting with = + - @ (or a tab or carriage return) as a formula, so
 * TaskFlow's CSV exports prefix such a cell with a single quote (CSV injection), and its CSV
 * import takes that quote off again: an exported board imported back reads as it was written.
 */
/** Quotes already in front count too, so a value that starts `'=` keeps its own quote. */
const formulaStart = /^'*[=+\-@\t\r]/;

/** The cell as exported: quoted when a spreadsheet would run it. */
export function guardFormula(value: string): string {
	return formulaStart.test(value) ? `'${value}` : value;
}

/** The cell as it was before `guardFormula`. */
export function unguardFormula(value: string): string {
	return value.startsWith("'") && formulaStart.test(value.slice(1)) ? value.slice(1) : value;
}
