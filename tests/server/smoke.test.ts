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
