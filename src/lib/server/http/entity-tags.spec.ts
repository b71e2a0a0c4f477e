import { describe, expect, it } from 'vitest';
import { json as endpointJson } from './endpoint.ts';
import {
	listedTags,
	notModified,
	strongMatch,
	weakMatch,
	wellFormedTags,
	withEntityTag
} from './entity-tags.ts';

describe('entity tag comparison', () => {
	it('lists quoted tags, weak ones and *, ignoring anything else', () => {
		expect(listedTags('"a", W/"b",*, junk, "c,d"')).toEqual(['"a"', 'W/"b"', '*', '"c,d"']);
	});

	it('If-Match compares strongly, If-None-Match weakly', () => {
		expect(strongMatch('"3"', '"3"')).toBe(true);
		expect(strongMatch('W/"3"', '"3"')).toBe(false);
		expect(strongMatch('"2", "3"', '"3"')).toBe(true);
		expect(strongMatch('*', '"3"')).toBe(true);
		expect(weakMatch('W/"3"', '"3"')).toBe(true);
		expect(weakMatch('"2", W/"3"', '"3"')).toBe(true);
		expect(weakMatch('"4"', '"3"')).toBe(false);
		expect(weakMatch('3', '"3"')).toBe(false);
	});
});

describe('wellFormedTags', () => {
	it('takes * and lists of quoted tags, weak or strong', () => {
		for (const header of [
			'*',
			' "7" ',
			'"7","8"',
			'W/"7", "8"',
			'""',
			'"7",',
			', "7"',
			'"7", , "8"'
		]) {
			expect(wellFormedTags(header), header).toBe(true);
		}
	});
	it('refuses bare versions, stray text and empty lists', () => {
		for (const header of [
			'7',
			'"7", 8',
			'"7" x',
			'*, "7"',
			'',
			',',
			'w/"7"',
			'"7 8"',
			'"a\u0001"'
		]) {
			expect(wellFormedTags(header), header).toBe(false);
		}
	});
});

describe('withEntityTag and notModified', () => {
	it('tags a body built by json() as its bytes, without reading it back', async () => {
		const body = { title: 'Café ☕', n: 1 };
		const built = await withEntityTag(endpointJson(body));
		const read = await withEntityTag(
			new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
		);
		expect(built.headers.get('etag')).toBe(read.headers.get('etag'));
		expect(built.bodyUsed).toBe(false);
		expect(await built.json()).toEqual(body);
	});

	const json = (body: string, headers: Record<string, string> = {}) =>
		new Response(body, { headers: { 'content-type': 'application/json', ...headers } });

	it('tags a JSON body by its content, and keeps an endpoint-given tag', async () => {
		const a = await withEntityTag(json('{"a":1}'));
		const again = await withEntityTag(json('{"a":1}'));
		const b = await withEntityTag(json('{"a":2}'));
		expect(a.headers.get('etag')).toMatch(/^"[\w-]{43}"$/);
		expect(again.headers.get('etag')).toBe(a.headers.get('etag'));
		expect(b.headers.get('etag')).not.toBe(a.headers.get('etag'));
		expect(await a.text()).toBe('{"a":1}');
		expect(a.headers.get('cache-control')).toBe('private, no-cache');
		const own = await withEntityTag(json('{"a":1}', { etag: '"7"' }));
		expect(own.headers.get('etag')).toBe('"7"');
		const problem = new Response('{}', {
			status: 404,
			headers: { 'content-type': 'application/problem+json' }
		});
		expect((await withEntityTag(problem)).headers.get('etag')).toBeNull();
	});

	it('answers 304 without a body, with the validators and Vary of the 200', () => {
		const ok = json('{"a":1}', { etag: '"7"', vary: 'Accept-Encoding', 'x-other': 'no' });
		const request = (inm: string) =>
			new Request('http://x/', { headers: { 'if-none-match': inm } });
		const hit = notModified(request('W/"7"'), ok)!;
		expect(hit.status).toBe(304);
		expect(hit.body).toBeNull();
		expect(hit.headers.get('etag')).toBe('"7"');
		expect(hit.headers.get('vary')).toBe('Accept-Encoding');
		expect(hit.headers.get('x-other')).toBeNull();
		expect(notModified(request('"8"'), json('{}', { etag: '"7"' }))).toBeNull();
	});
});
