/** The drawing area every insights chart shares (SVG user units; the SVG scales to its box). */
export const frame = { width: 640, height: 240, left: 40, right: 12, top: 12, bottom: 36 };

export const plot = {
	x0: frame.left,
	x1: frame.width - frame.right,
	y0: frame.height - frame.bottom,
	y1: frame.top
};

/** Fills of the three column categories, from the app's palette (so dark mode follows). */
export const categoryColors = {
	todo: 'var(--muted)',
	inProgress: 'var(--accent)',
	done: 'var(--ok)'
} as const;

export const categoryNames = { todo: 'To do', inProgress: 'In progress', done: 'Done' } as const;

/** Hours in the unit that reads well: "12 min", "36 h", "4.5 d". */
export function duration(hours: number): string {
	if (hours < 1) return `${Math.round(hours * 60)} min`;
	if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
	return `${Math.round((hours / 24) * 10) / 10} d`;
}
