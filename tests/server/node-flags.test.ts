/**
 * The production server's Node flags (server/node-flags.ts) are passed by everything that starts
 * it: a place that drops them runs a differently sized heap than the one measured.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../../server/node-flags.ts';

const root = new URL('../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('the server’s Node flags', () => {
	it('are on the Docker image’s command', () => {
		const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(read('Dockerfile'));
		expect(cmd, 'a CMD in exec form').not.toBeNull();
		expect(JSON.parse(cmd![1]!)).toEqual(['node', ...serverNodeFlags, 'server/index.ts']);
	});

	it('are on npm start’s command', () => {
		const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
			.scripts;
		expect(scripts.start).toBe(['node', ...serverNodeFlags, 'scripts/start.ts'].join(' '));
	});

	it('cap the young generation at 32 MB a semi-space', async () => {
		// Short-lived garbage grows new space to its cap (134 MB without the flag on Node 24).
		const churn = `
			const v8 = require('node:v8');
			let keep = [];
			for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
			const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
			console.log(space.space_size);`;
		const run = spawnSync(process.execPath, [...serverNodeFlags, '-e', churn], {
			encoding: 'utf8'
		});
		expect(run.stderr).toBe('');
		const newSpace = Number(run.stdout.trim());
		expect(newSpace).toBeGreaterThan(0);
		expect(newSpace).toBeLessThanOrEqual(2 * 32 * 1024 * 1024 + 4 * 1024 * 1024);
	});
});
