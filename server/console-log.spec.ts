import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '#lib/server/log.ts';
import { RefusedUpdate } from './board-guard/refusal.ts';
import { routeConsoleToLog } from './console-log.ts';

describe('library console output as log records', () => {
	const saved = { error: console.error, warn: console.warn };
	let records: { level: number; msg: string }[];
	beforeEach(() => {
		records = [];
		const sink = new Writable({
			write(chunk: Buffer, _encoding, done) {
				records.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
				done();
			}
		});
		routeConsoleToLog(createLogger({ logLevel: 'debug' }, { pretty: false, destination: sink }));
	});
	afterEach(() => {
		console.error = saved.error;
		console.warn = saved.warn;
	});
	const settle = () => new Promise((resolve) => setImmediate(resolve));

	it('keeps the lines Hocuspocus repeats for a refused update at debug, and faults at warn', async () => {
		const refusal = new RefusedUpdate('column "category" must be todo, in_progress or done');
		// As Hocuspocus's hook chain prints it, once per remaining extension.
		console.error('[beforeSync]', refusal.message);
		console.error('[beforeSync]', refusal.message);
		console.error('[onAuthenticate]', 'too-many-boards');
		console.error('[beforeSync]', 'Cannot read properties of undefined');
		await settle();
		expect(records.map((r) => [r.level, r.msg])).toEqual([
			[20, `[beforeSync] ${refusal.message}`],
			[20, `[beforeSync] ${refusal.message}`],
			[20, '[onAuthenticate] too-many-boards'],
			[40, '[beforeSync] Cannot read properties of undefined']
		]);
	});
});
