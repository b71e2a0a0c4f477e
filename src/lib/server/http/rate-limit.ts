/**
 * API rate limiting: fixed windows per token for token callers and per client address for
 * everyone else, counted in Redis when instances share it. Answers carry the IETF RateLimit
 * headers so well-behaved clients can pace themselves.
 */
import type { CounterStore } from '../auth/counters.ts';
import { problemResponse } from './problem.ts';

export interface RateLimitVerdict {
	headers: Record<string, string>;
	/** The 429 to send instead of handling the request, when over the limit. */
	refusal: Response | null;
}

export async function checkRateLimit(
	counters: CounterStore,
	input: { key: string; limit: number; windowMs: number; path: string }
): Promise<RateLimitVerdict> {
	const window = await counters.hit(`api:${input.key}`, input.windowMs);
	const resetSeconds = Math.max(1, Math.ceil(window.resetInMs / 1000));
	const headers = {
		'ratelimit-limit': String(input.limit),
		'ratelimit-remaining': String(Math.max(0, input.limit - window.count)),
		'ratelimit-reset': String(resetSeconds)
	};
	if (window.count <= input.limit) return { headers, refusal: null };
	return {
		headers,
		refusal: problemResponse(429, `Rate limit of ${input.limit} requests exceeded; retry later.`, {
			instance: input.path,
			headers: { ...headers, 'retry-after': String(resetSeconds) }
		})
	};
}
