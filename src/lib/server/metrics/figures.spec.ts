import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { cachedFigures, type Figures } from './figures.ts';

const log = createLogger({ logLevel: 'silent' });
const figures = (n: number): Figures => ({
	overdueTasks: n,
	dailyActiveUsers: n,
	weeklyActiveUsers: n,
	outboxDepth: n,
	relayLagSeconds: n
});

describe('cachedFigures', () => {
	it('shares one read between concurrent callers and reuses it while fresh', async () => {
		let reads = 0;
		const read = cachedFigures({ read: async () => figures(++reads), log, maxAgeMs: 60_000 });
		const [a, b] = await Promise.all([read(), read()]);
		expect(a).toEqual(figures(1));
		expect(b).toBe(a);
		expect(await read()).toBe(a);
		expect(reads).toBe(1);
	});

	it('reads again once stale', async () => {
		let reads = 0;
		const read = cachedFigures({ read: async () => figures(++reads), log, maxAgeMs: 0 });
		await read();
		expect(await read()).toEqual(figures(2));
	});

	it('keeps the last figures when a read fails', async () => {
		let fail = false;
		const read = cachedFigures({
			read: async () => {
				if (fail) throw new Error('database down');
				return figures(7);
			},
			log,
			maxAgeMs: 0
		});
		expect(await read()).toEqual(figures(7));
		fail = true;
		expect(await read()).toEqual(figures(7));
	});
});
