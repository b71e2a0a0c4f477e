import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signPayload, verifySignature } from './signature.ts';

describe('webhook signatures', () => {
	it('is HMAC-SHA256 over "<timestamp>.<body>" in hex, prefixed v1=', () => {
		const body = '{"type":"task.created"}';
		const hex = createHmac('sha256', 's3cret').update(`1700000000.${body}`).digest('hex');
		expect(signPayload('s3cret', 1_700_000_000, body)).toBe(`v1=${hex}`);
	});

	it('verifies its own signature and refuses any change of secret, time or body', () => {
		const secret = newWebhookSecret();
		const header = signPayload(secret, 42, 'body');
		expect(verifySignature(secret, 42, 'body', header)).toBe(true);
		expect(verifySignature(newWebhookSecret(), 42, 'body', header)).toBe(false);
		expect(verifySignature(secret, 43, 'body', header)).toBe(false);
		expect(verifySignature(secret, 42, 'body ', header)).toBe(false);
		expect(verifySignature(secret, 42, 'body', 'v1=00')).toBe(false);
	});

	it('makes distinct secrets of 32 random bytes', () => {
		const a = newWebhookSecret();
		expect(a).toMatch(/^whsec_[\w-]{43}$/);
		expect(newWebhookSecret()).not.toBe(a);
	});
});
