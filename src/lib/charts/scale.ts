/**
 * The few scale helpers the insights charts need, written out rather than pulling in d3: a
 * linear map from values to pixels, and round tick values for an axis starting at zero.
 */

/** Maps `[0, max]` onto `[from, to]` (pixels; `from` may be larger, for a y axis). */
export function linear(max: number, from: number, to: number): (value: number) => number {
	const span = max > 0 ? max : 1;
	return (value) => from + ((to - from) * value) / span;
}

/**
 * Round ticks from 0 to at least `max` (about `count` of them, steps of 1, 2 or 5 × 10ⁿ), so the
 * top of the axis is a tick and every bar fits under it.
 */
export function niceTicks(max: number, count = 5): number[] {
	if (!(max > 0)) return [0, 1];
	const rough = max / count;
	const power = 10 ** Math.floor(Math.log10(rough));
	const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
	// Whole numbers only: these axes count cards or hours.
	const whole = Math.max(1, Math.round(step));
	const ticks: number[] = [];
	for (let t = 0; t < max + whole; t += whole) ticks.push(t);
	return ticks;
}

/** Every `step`th item of `items` (the last always included), for labels that would crowd. */
export function thinned<T>(items: T[], most: number): T[] {
	if (items.length <= most) return items;
	const step = Math.ceil(items.length / most);
	const last = items.length - 1;
	// A regular item closer than a step to the last gives way to it: drawn side by side, their
	// labels overlapped (the cumulative flow chart's last two dates).
	return items.filter((_, i) => i === last || (i % step === 0 && last - i >= step));
}
