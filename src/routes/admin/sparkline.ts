/**
 * The System tab's sparklines: an SVG path through one value a minute, on the insights charts'
 * linear scale, and the one-line text summary that stands beside it for screen readers.
 */
import { linear } from '$lib/charts/scale';

/** A polyline path through `values` in a `width` × `height` box (missing values are skipped). */
export function sparkPath(
	values: readonly (number | null)[],
	width: number,
	height: number
): string {
	const max = Math.max(0, ...values.map((v) => v ?? 0));
	// One pixel of headroom each side so a flat line at zero or at the top stays visible.
	const y = linear(max, height - 1, 1);
	const x = linear(Math.max(1, values.length - 1), 0, width);
	const segments: string[][] = [[]];
	values.forEach((value, i) => {
		if (value === null) segments.push([]);
		else segments.at(-1)!.push(`${round(x(i))},${round(y(value))}`);
	});
	// A lone point (a minute between gaps) is a zero-length line: drawn as a dot with round caps.
	return segments
		.filter((points) => points.length > 0)
		.map((points) => `M${points.join('L')}${points.length === 1 ? 'h0' : ''}`)
		.join('');
}

/** "now 1.2, peak 3.4" for the latest and highest values (null ones are ignored). */
export function sparkSummary(
	values: readonly (number | null)[],
	format: (value: number) => string
): string {
	const known = values.filter((v): v is number => v !== null);
	if (known.length === 0) return 'no data yet';
	const last = values.at(-1);
	const now = last === null || last === undefined ? 'nothing this minute' : `now ${format(last)}`;
	return `${now}, peak ${format(Math.max(...known))}`;
}

const round = (n: number) => Math.round(n * 10) / 10;
