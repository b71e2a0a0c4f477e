import { describe, expect, it } from 'vitest';
import {
	labelColorOf,
	labelColorStyles,
	labelColors,
	readLabelColors,
	setLabelColor,
	type LabelColor
} from './label-colors.ts';
import { Network, expectConverged, type Replica } from './network-simulation.ts';
import { readBoard } from './read.ts';
import { labelColorsMap } from './schema.ts';
import { createBoard, createRandom, expectRefused, testContext } from './testing.ts';
import { initBoard } from './board.ts';

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
function luminance(hex: string): number {
	const channel = (i: number) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
	const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
	return (high + 0.05) / (low + 0.05);
}

describe('label colours', () => {
	it.each(labelColors)('%s chips meet WCAG AA contrast (4.5:1)', (color) => {
		const { background, text } = labelColorStyles[color];
		expect(contrast(background, text)).toBeGreaterThanOrEqual(4.5);
	});

	it('sets, changes and clears a colour, and shows them in the board view', () => {
		const { doc, ctx } = createBoard();
		setLabelColor(doc, { label: ' bug ', color: 'red' }, ctx);
		setLabelColor(doc, { label: 'ui', color: 'blue' }, ctx);
		expect(readBoard(doc).labelColors).toEqual({ bug: 'red', ui: 'blue' });
		setLabelColor(doc, { label: 'ui', color: null }, ctx);
		expect(readLabelColors(doc)).toEqual({ bug: 'red' });
	});

	it('refuses unknown colours and bad labels, and ignores malformed entries', () => {
		const { doc, ctx } = createBoard();
		expectRefused(
			doc,
			() => setLabelColor(doc, { label: 'bug', color: 'plaid' as LabelColor }, ctx),
			'invalid_label_color',
			'color'
		);
		expectRefused(
			doc,
			() => setLabelColor(doc, { label: '', color: 'red' }, ctx),
			'invalid_label',
			'label'
		);
		doc.transact(() => labelColorsMap(doc).set('bug', 'plaid'));
		expect(readLabelColors(doc)).toEqual({});
	});

	it('keeps colours given to different labels at the same time on a board without any', () => {
		const network = new Network(2, createRandom(5), () => new Date('2026-03-01T00:00:00.000Z'));
		const [a, b] = network.replicas as [Replica, Replica];
		initBoard(a.doc, { title: 'Board' }, a.ctx);
		network.settle();
		setLabelColor(a.doc, { label: 'bug', color: 'red' }, a.ctx);
		setLabelColor(b.doc, { label: 'ui', color: 'green' }, b.ctx);
		network.settle();
		expectConverged(network);
		expect(readLabelColors(b.doc)).toEqual({ bug: 'red', ui: 'green' });
	});
});

describe('labels named like object members', () => {
	it('read as ordinary labels, with or without a colour', () => {
		const { doc } = createBoard();
		setLabelColor(doc, { label: 'constructor', color: 'red' }, testContext());
		const colors = readLabelColors(doc);
		expect(labelColorOf(colors, 'constructor')).toBe('red');
		expect(labelColorOf(colors, 'toString')).toBeNull();
		expect(labelColorOf(colors, '__proto__')).toBeNull();
		setLabelColor(doc, { label: '__proto__', color: 'blue' }, testContext());
		expect(labelColorOf(readLabelColors(doc), '__proto__')).toBe('blue');
	});
});
