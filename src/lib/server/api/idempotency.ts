/**
 * `Idempotency-Key` for API POSTs. The first request with a key (per user) reserves it, runs,
 * and stores its response; a retry within 24 hours gets that response back (with
 * `Idempotent-Replayed: true`) and runs nothing. A retry while the first is still running gets
 * 409; the same key on a different request gets 422. Failed requests release their key so the
 * client can correct and resend. A reservation that was never finished nor released (its
 * request lost the database, and then so did the release) lapses after `unfinishedLapse`, so a
 * retry is not told "in progress" for a day.
 *
 * A released or lapsed key can belong to a request whose change was committed while its answer
 * was lost. `run` gets ids derived from the key (`keyed-ids.ts`) for what it creates, so the
 * next attempt finds that change and answers with it instead of making it again.
 */
import { createHash } from 'node:crypto';
import type { RequestEvent } from '@sveltejs/kit';
import { ApiError } from '../http/problem.ts';
import { keyedIds, type KeyedIds } from './keyed-ids.ts';

const keyPattern = /^[\x21-\x7e]{1,255}$/;
/** Far longer than any request runs (a 1,000-task batch takes about half a second). */
const unfinishedLapse = '2 minutes';
const keptHeaders = ['content-type', 'etag', 'location'];

interface KeyRow {
	fingerprint: string;
	status: number | null;
	headers: Record<string, string>;
	body: string | null;
}

function invalidKey(): ApiError {
	const message = 'Send 1 to 255 visible ASCII characters.';
	return new ApiError(422, message, { errors: { 'Idempotency-Key': message } });
}

/**
 * Runs `run` at most once per (user, Idempotency-Key). `payload` is the validated request
 * body; with the method and path it makes the fingerprint a retry must repeat. `run` is given
 * the attempt's keyed ids (null without a key) for what it creates.
 */
export async function idempotent(
	event: RequestEvent,
	userId: string,
	payload: unknown,
	run: (ids: KeyedIds | null) => Promise<Response>
): Promise<Response> {
	const key = event.request.headers.get('idempotency-key');
	if (key === null) return run(null);
	if (!keyPattern.test(key)) throw invalidKey();
	const { sql } = event.locals.ctx;
	const fingerprint = createHash('sha256')
		.update(`${event.request.method} ${event.url.pathname}\n${JSON.stringify(payload)}`)
		.digest('hex');

	// Forget this user's expired keys and lapsed reservations, then reserve ours (taking over
	// an expired one).
	await sql`
		delete from idempotency_keys
		where user_id = ${userId}
			and (created_at < now() - interval '24 hours'
				or (status is null and created_at < now() - ${unfinishedLapse}::interval))`;
	const reserved = await sql`
		insert into idempotency_keys (user_id, key, fingerprint) values (${userId}, ${key}, ${fingerprint})
		on conflict (user_id, key) do nothing
		returning key`;
	if (reserved.length === 0) return replay(event, userId, key, fingerprint);

	let response: Response;
	try {
		response = await run(keyedIds(`${userId}\n${key}\n${fingerprint}`));
	} catch (error) {
		// The request's own failure is the answer (a 503 when the database went away); a release
		// that fails with it leaves the reservation to lapse.
		await release(event, userId, key).catch(() => {});
		throw error;
	}
	if (response.status >= 300) {
		await release(event, userId, key);
		return response;
	}
	const body = await response.clone().text();
	const headers: Record<string, string> = {};
	for (const name of keptHeaders) {
		const value = response.headers.get(name);
		if (value !== null) headers[name] = value;
	}
	await sql`
		update idempotency_keys
		set status = ${response.status}, headers = ${sql.json(headers)}, body = ${body}
		where user_id = ${userId} and key = ${key}`;
	return response;
}

async function release(event: RequestEvent, userId: string, key: string): Promise<void> {
	await event.locals.ctx.sql`
		delete from idempotency_keys where user_id = ${userId} and key = ${key} and status is null`;
}

async function replay(
	event: RequestEvent,
	userId: string,
	key: string,
	fingerprint: string
): Promise<Response> {
	const { sql } = event.locals.ctx;
	const [row] = await sql<KeyRow[]>`
		select fingerprint, status, headers, body from idempotency_keys
		where user_id = ${userId} and key = ${key}`;
	if (!row) {
		throw new ApiError(409, 'A request with this Idempotency-Key just failed; send it again.');
	}
	if (row.fingerprint !== fingerprint) {
		const message = 'This key was used for a different request; use a new key.';
		throw new ApiError(422, message, { errors: { 'Idempotency-Key': message } });
	}
	if (row.status === null) {
		throw new ApiError(409, 'A request with this Idempotency-Key is still in progress.', {
			headers: { 'retry-after': '1' }
		});
	}
	return new Response(row.body, {
		status: row.status,
		headers: { ...row.headers, 'idempotent-replayed': 'true' }
	});
}
