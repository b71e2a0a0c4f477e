import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { gateAcknowledgements, isAcknowledgement } from './ack-gate.ts';

/** A Hocuspocus frame: `varString(address) varUint(type) varUint(value)`. */
function frame(address: string, type: number, value = 1): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, address);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint(encoder, value);
	return encoding.toUint8Array(encoder);
}

const syncStatus = 8;
const sync = 0;
const awareness = 1;

describe('isAcknowledgement', () => {
	it('tells acknowledgements from other frames, whatever the address length', () => {
		for (const address of ['', 'board:1', `board:${'x'.repeat(200)}\0${'s'.repeat(20_000)}`]) {
			expect(isAcknowledgement(frame(address, syncStatus))).toBe(true);
			// "Not applied" (a read-only client's update) acknowledges nothing.
			expect(isAcknowledgement(frame(address, syncStatus, 0))).toBe(false);
			expect(isAcknowledgement(frame(address, sync, syncStatus))).toBe(false);
			expect(isAcknowledgement(frame(address, awareness))).toBe(false);
		}
		// An address whose bytes hold the type's value is still an address.
		expect(isAcknowledgement(frame('\u0008\u0008', sync))).toBe(false);
	});

	it('reads nothing past a truncated frame', () => {
		expect(isAcknowledgement(new Uint8Array([]))).toBe(false);
		expect(isAcknowledgement(new Uint8Array([0x80]))).toBe(false);
		expect(isAcknowledgement(new Uint8Array([5, 1, 2]))).toBe(false);
	});
});

describe('gateAcknowledgements', () => {
	function gated() {
		const sent: Uint8Array[] = [];
		const connection = { send: (f: Uint8Array) => void sent.push(f) };
		const answers: ((ok: boolean) => void)[] = [];
		let asked = 0;
		gateAcknowledgements(connection, () => {
			asked += 1;
			return new Promise<boolean>((resolve) => answers.push(resolve));
		});
		return { connection, sent, answers, asked: () => asked };
	}
	const settle = () => new Promise((resolve) => setImmediate(resolve));

	it('sends other frames at once and an acknowledgement once it is durable', async () => {
		const { connection, sent, answers, asked } = gated();
		const ack = frame('board:1', syncStatus);
		const update = frame('board:1', sync);
		const notApplied = frame('board:1', syncStatus, 0);
		connection.send(ack);
		connection.send(update);
		connection.send(notApplied);
		expect(asked()).toBe(1);
		expect(sent).toEqual([update, notApplied]);
		answers[0]!(true);
		await settle();
		expect(sent).toEqual([update, notApplied, ack]);
	});

	it('keeps acknowledgements in order, and drops one that cannot be made durable', async () => {
		const { connection, sent, answers } = gated();
		const [first, second, third] = ['a', 'b', 'c'].map((name) => frame(name, syncStatus));
		connection.send(first!);
		connection.send(second!);
		connection.send(third!);
		answers[2]!(true);
		await settle();
		expect(sent).toEqual([]);
		answers[1]!(false);
		await settle();
		expect(sent).toEqual([]);
		answers[0]!(true);
		await settle();
		expect(sent).toEqual([first, third]);
	});
});
