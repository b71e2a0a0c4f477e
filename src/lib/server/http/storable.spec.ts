import { describe, expect, it } from 'vitest';
import { unstorablePath } from './storable.ts';

describe('unstorablePath', () => {
	it('names the first string or key holding NUL or a lone surrogate', () => {
		expect(unstorablePath({ title: 'fine', labels: ['a', 'b\ud800'] })).toBe('labels.1');
		expect(unstorablePath({ a: { 'k\u0000': 1 } })).toBe('a.k\u0000');
		expect(unstorablePath('\udc00')).toBe('_');
		expect(unstorablePath({ first: 'x\u0000', second: '\ud800' })).toBe('first');
	});

	it('accepts well-formed text, pairs included, and other values', () => {
		expect(unstorablePath({ title: '😀 ok', n: 1, b: true, z: null, list: [[], {}] })).toBeNull();
	});

	it('walks nesting deeper than the call stack', () => {
		const depth = 200_000;
		const deep = JSON.parse(`${'['.repeat(depth)}"\\ud800"${']'.repeat(depth)}`);
		expect(unstorablePath(deep)).toMatch(/^(0\.)+0$/);
	});
});
