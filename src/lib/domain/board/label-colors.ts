/**
 * Label colours, chosen per board from a small palette and stored in the top-level
 * `labelColors` map (label -> colour name). A label without an entry shows in the neutral
 * default. Only the name is stored; what it looks like is the app's concern (`labelColorStyles`).
 */
import type * as Y from 'yjs';
import { commit, type OpContext } from './context.ts';
import { DomainError } from './errors.ts';
import { readLabels } from './records.ts';
import { labelColorsMap } from './schema.ts';
import { assertWritable } from './validate.ts';

export const labelColors = [
	'gray',
	'red',
	'orange',
	'yellow',
	'green',
	'teal',
	'blue',
	'purple',
	'pink'
] as const;

export type LabelColor = (typeof labelColors)[number];

/** Distinct labels a board may colour; past this (only a hostile client gets there) none is read. */
export const maxLabelColors = 500;

/**
 * Chip colours per palette entry: a pale background with dark text, each pair at least 4.5:1
 * (WCAG AA for normal text; label-colors.spec.ts checks the ratios).
 */
export const labelColorStyles: Record<LabelColor, { background: string; text: string }> = {
	gray: { background: '#e5e7eb', text: '#374151' },
	red: { background: '#fee2e2', text: '#991b1b' },
	orange: { background: '#ffedd5', text: '#9a3412' },
	yellow: { background: '#fef9c3', text: '#854d0e' },
	green: { background: '#dcfce7', text: '#166534' },
	teal: { background: '#ccfbf1', text: '#115e59' },
	blue: { background: '#dbeafe', text: '#1e40af' },
	purple: { background: '#ede9fe', text: '#5b21b6' },
	pink: { background: '#fce7f3', text: '#9d174d' }
};

export function isLabelColor(value: unknown): value is LabelColor {
	return typeof value === 'string' && (labelColors as readonly string[]).includes(value);
}

/**
 * The colours chosen on this board; malformed entries are left out. Keys are labels people
 * type, so the record has no prototype ("constructor" or "__proto__" are labels like others);
 * read it with `labelColorOf`.
 */
export function readLabelColors(doc: Y.Doc): Record<string, LabelColor> {
	const map = labelColorsMap(doc);
	const colors = Object.create(null) as Record<string, LabelColor>;
	// Past the limit (concurrent additions may pass it) the first ones are read.
	let read = 0;
	for (const [label, color] of map) {
		if (read >= maxLabelColors) break;
		if (isLabelColor(color) && readLabels([label])[0] === label) {
			colors[label] = color;
			read++;
		}
	}
	return colors;
}

/** A label's colour, or null for the default look (own entries only, whatever the label). */
export function labelColorOf(colors: Record<string, LabelColor>, label: string): LabelColor | null {
	return Object.hasOwn(colors, label) ? colors[label]! : null;
}

/** Gives a label a colour on this board, or (null) returns it to the default. */
export function setLabelColor(
	doc: Y.Doc,
	input: { label: string; color: LabelColor | null },
	ctx: OpContext
): void {
	const label = typeof input.label === 'string' ? input.label.trim() : '';
	if (readLabels([label])[0] !== label || !label) {
		throw new DomainError('invalid_label', 'Name the label to colour.', 'label');
	}
	if (input.color !== null && !isLabelColor(input.color)) {
		throw new DomainError(
			'invalid_label_color',
			`Choose one of ${labelColors.join(', ')}.`,
			'color'
		);
	}
	assertWritable(doc);
	const map = labelColorsMap(doc);
	if ((map.get(label) ?? null) === input.color) return;
	if (input.color === null && !map.has(label)) return;
	if (input.color !== null && !map.has(label) && map.size >= maxLabelColors) {
		throw new DomainError(
			'invalid_label_color',
			`A board can colour at most ${maxLabelColors} labels.`,
			'label'
		);
	}
	const color = input.color;
	commit(doc, ctx, () => {
		if (color === null) map.delete(label);
		else map.set(label, color);
	});
}
