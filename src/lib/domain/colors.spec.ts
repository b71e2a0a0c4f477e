import { describe, expect, it } from 'vitest';
import { colorFor, palette } from './colors.ts';

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
	const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
	const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

describe('presence colours', () => {
	it.each(palette)('%s carries white initials at 4.5:1 or more', (color) => {
		expect(contrastWithWhite(color)).toBeGreaterThanOrEqual(4.5);
	});

	it('gives a person the same colour everywhere', () => {
		expect(colorFor('a-user')).toBe(colorFor('a-user'));
		expect(palette).toContain(colorFor('another-user'));
	});
});
