/** Percentile and median for the benchmarks; no imports, so any bench can use it cheaply. */

/**
 * The value at percentile `p` (0–100) of ascending `sorted`, without interpolation; NaN if empty.
 * Takes any array-like so typed arrays need no copy.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The middle of `values` (the mean of the two middles for an even count); NaN if empty. */
export function median(values: readonly number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
