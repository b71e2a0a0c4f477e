/**
 * How a delivery is signed: HMAC-SHA256 with the hook's secret over `<timestamp>.<body>`, hex,
 * sent as `X-TaskFlow-Signature: v1=<hex>` beside `X-TaskFlow-Timestamp` (Unix seconds). The
 * timestamp is signed too, so a receiver that refuses old timestamps also refuses replays.
 * docs/webhooks.md shows a receiver's check.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function signPayload(secret: string, timestamp: number, body: string): string {
	return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Constant-time comparison of a received header against the expected signature. */
export function verifySignature(
	secret: string,
	timestamp: number,
	body: string,
	header: string
): boolean {
	const expected = Buffer.from(signPayload(secret, timestamp, body));
	const received = Buffer.from(header);
	return expected.length === received.length && timingSafeEqual(expected, received);
}

/** 32 random bytes; the prefix tells a leaked string's kind at a glance. */
export function newWebhookSecret(): string {
	return `whsec_${randomBytes(32).toString('base64url')}`;
}
