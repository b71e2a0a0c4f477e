import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { client, createBoard, signUp } from './support/http.ts';

let t: TestApp;
beforeAll(async () => {
	t = await startTestApp();
});
afterAll(async () => {
	await t?.stop();
});

describe('smoke', () => {
	it('serves health, signup and a live board', async () => {
		const api = client(t.url);
		expect((await api.get('/health')).body).toEqual({ status: 'ok' });
		const ana = await signUp(api, 'Ana');
		const board = await createBoard(api, ana);
		const a = connect(t.url, board.id, { token: ana.token });
		const b = connect(t.url, board.id, { token: ana.token });
		expect(await a.ready).toBe(true);
		expect(await b.ready).toBe(true);
		a.doc.getMap('board').set('title', 'hello');
		await waitFor(() => b.doc.getMap('board').get('title') === 'hello');
		a.destroy();
		b.destroy();
	});
});

describe('a second app in the same process', () => {
	it('still knows requests are plain http, so same-origin form posts pass the Origin check', async () => {
		const second = await startTestApp();
		try {
			const res = await fetch(`${second.url}/signup`, {
				method: 'POST',
				headers: {
					origin: new URL(second.url).origin,
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: 'name=Zed&email=zed%40example.com&password=a+long+enough+passphrase',
				redirect: 'manual'
			});
			// fetch's Accept makes Kit answer the action in JSON; a refused Origin would be a 403.
			expect(await res.json()).toEqual({ type: 'redirect', status: 303, location: '/boards' });
			expect(res.headers.get('set-cookie')).not.toMatch(/Secure/);
		} finally {
			await second.stop();
		}
	});
});
