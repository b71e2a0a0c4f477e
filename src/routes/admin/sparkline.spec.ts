import { describe, expect, it } from 'vitest';
import { sparkPath, sparkSummary } from './sparkline';

describe('sparkPath', () => {
	it('draws one point per value, highest at the top, lowest at the bottom', () => {
		expect(sparkPath([0, 2, 1], 100, 21)).toBe('M0,20L50,1L100,10.5');
	});

	it('breaks the line at missing values and stays flat at the bottom without data', () => {
		expect(sparkPath([1, null, 1], 10, 11)).toBe('M0,1h0M10,1h0');
		expect(sparkPath([0, 0], 10, 11)).toBe('M0,10L10,10');
	});
});

describe('sparkSummary', () => {
	const format = (n: number) => n.toFixed(1);
	it('gives the latest and the peak', () => {
		expect(sparkSummary([1, 3, 2], format)).toBe('now 2.0, peak 3.0');
		expect(sparkSummary([1, null], format)).toBe('nothing this minute, peak 1.0');
		expect(sparkSummary([null], format)).toBe('no data yet');
	});
});
