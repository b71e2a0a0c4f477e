import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatRecord, seconds } from './log-format.ts';
import { readConfig } from './config.ts';
import { createLogger, serviceName, wantsPrettyLogs } from './log.ts';

function capture() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk: Buffer | string, _encoding, done) {
			lines.push(...String(chunk).split('\n').filter(Boolean));
			done();
		}
	});
	return { lines, stream };
}

const request = {
	method: 'GET',
	path: '/boards',
	status: 200,
	ms: 12,
	address: '203.0.113.7',
	ua: 'curl/8.5',
	userId: 'u1'
};

describe('log format', () => {
	it('is readable at a terminal and JSON anywhere else', () => {
		expect(wantsPrettyLogs({ isTTY: true })).toBe(true);
		expect(wantsPrettyLogs({ isTTY: false })).toBe(false);
		expect(wantsPrettyLogs({})).toBe(false);
	});

	it('writes one JSON record per line, naming the service', () => {
		const { lines, stream } = capture();
		createLogger({ logLevel: 'info' }, { pretty: false, destination: stream }).info(
			request,
			'request'
		);
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0]!)).toMatchObject({
			service: serviceName,
			msg: 'request',
			...request
		});
	});

	it('follows LOG_FORMAT over the terminal guess', () => {
		const json = capture();
		createLogger({ logLevel: 'info', logFormat: 'json' }, { destination: json.stream }).info(
			request,
			'request'
		);
		expect(JSON.parse(json.lines[0]!)).toMatchObject({ msg: 'request' });
		const pretty = capture();
		createLogger({ logLevel: 'info', logFormat: 'pretty' }, { destination: pretty.stream }).info(
			request,
			'request'
		);
		expect(pretty.lines[0]).toMatch(/INFO: GET \/boards 200/);
		expect(readConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
	});

	it('writes one readable line per record at a terminal', () => {
		const { lines, stream } = capture();
		const log = createLogger({ logLevel: 'info' }, { pretty: true, destination: stream });
		log.info(request, 'request');
		log.warn({ board: 'b1', note: 'two words' }, 'store retried');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(
			/^\[\d\d:\d\d:\d\d\] INFO: GET \/boards 200 12 ms from 203\.0\.113\.7 userId=u1$/
		);
		expect(lines[1]).toMatch(/WARN: store retried board=b1 note="two words"$/);
		expect(lines.join('\n')).not.toContain('{');
	});

	it('puts an error stack on the lines after its record', () => {
		const text = formatRecord({
			msg: 'store failed',
			err: { message: 'boom', stack: 'Error: boom\n    at x' }
		});
		expect(text).toBe('store failed\nError: boom\n    at x');
	});

	it('says how long a startup phase took', () => {
		expect(seconds(1432)).toBe('1.4 s');
		expect(seconds(37_400)).toBe('37 s');
	});
});
