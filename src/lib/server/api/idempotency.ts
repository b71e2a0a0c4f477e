/**
 * `Idempotency-Key` for API POSTs. The first request with a key (per user) reserves it, runs,
 * and stores its response; a retry within 24 hours gets that response back (with
 * `Idempotent-Replayed: true`) and runs nothing. A retry while the first is still running gets
 * 409; the same key on a different request gets 422. Failed requests release their key so the
 * client can correct and resend (or resend as it was). A reservation that was never finished
 * nor released (its request lost the database, and then so did the release) lapses after
 * `unfinishedLapse`, so a retry is not told "in progress" for a day.
 *
 * A released or lapsed key can belong to a request whose change was committed while its answer
 * was lost. `run` gets ids derived from the key's random seed (`keyed-ids.ts`, migration 026) for
 * what it creates, and a released key keeps its row and seed (`released_at`), so the next
 * attempt of the same request finds that change and answers with it instead of making it again.
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

	// Forget this user's expired keys, then reserve ours: a new row (with a new seed), or one an
	// attempt released or left unfinished past `unfinishedLapse` — keeping its seed when this is
	// the same request, so this attempt finds what that one made.
	await sql`
		delete from idempotency_keys
		where user_id = ${userId} and created_at < now() - interval '24 hours'`;
	const [reserved] = await sql<{ seed: string }[]>`
		insert into idempotency_keys (user_id, key, fingerprint) values (${userId}, ${key}, ${fingerprint})
		on conflict (user_id, key) do update set
			seed = case when idempotency_keys.fingerprint = excluded.fingerprint
				then idempotency_keys.seed else excluded.seed end,
			fingerprint = excluded.fingerprint,
			released_at = null,
			created_at = now()
		where idempotency_keys.status is null
			and (idempotency_keys.released_at is not null
				or idempotency_keys.created_at < now() - ${unfinishedLapse}::interval)
		returning seed`;
	if (!reserved) return replay(event, userId, key, fingerprint);

	let response: Response;
	try {
		response = await run(keyedIds(reserved.seed));
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

/** The key may be used again; its seed stays for the next attempt of the same request. */
async function release(event: RequestEvent, userId: string, key: string): Promise<void> {
	await event.locals.ctx.sql`
		update idempotency_keys set released_at = now()
		where user_id = ${userId} and key = ${key} and status is null`;
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
		// Expired and forgotten between the reservation and this read.
		throw new ApiError(409, 'A request with this Idempotency-Key has just expired; send it again.');
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
