/** The part of autocannon's programmatic API the benchmarks use (it ships no types). */
declare module 'autocannon' {
	import type { EventEmitter } from 'node:events';

	interface Options {
		url: string;
		connections?: number;
		/** Seconds. */
		duration?: number;
		method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
		headers?: Record<string, string>;
		body?: string;
	}

	interface Result {
		duration: number;
		errors: number;
		timeouts: number;
		non2xx: number;
		requests: { total: number; average: number };
	}

	interface Instance extends EventEmitter, PromiseLike<Result> {
		stop(): void;
		on(
			event: 'response',
			listener: (client: unknown, statusCode: number, bytes: number, ms: number) => void
		): this;
	}

	function autocannon(options: Options): Instance;
	export default autocannon;
}
