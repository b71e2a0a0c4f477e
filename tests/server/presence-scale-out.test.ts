/**
 * Presence across instances: people on one board, connected to different instances, see each
 * other (cursors, open cards, names). Each instance's Presence stamps its own clients' states;
 * a state a peer instance relays through Redis arrives without a connection, and Presence used
 * to drop every such state, so presence never crossed instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPair, type TestPair } from './support/app.ts';
import { connect, waitFor } from './support/collab.ts';
import { addMember, client, createBoard, signUp } from './support/http.ts';
import { awarenessFrame, rawClient } from './support/raw-collab.ts';

let pair: TestPair;
beforeAll(async () => {
	pair = await startPair();
});
afterAll(async () => {
	await pair?.stop();
});

describe('presence with two instances', () => {
	it('reaches the people connected to the other instance, with the sender’s name', async () => {
		const { one, two } = pair;
		const ana = await signUp(client(one.url), 'Ana');
		const bo = await signUp(client(one.url), 'Bo');
		const board = await createBoard(client(one.url), ana);
		await addMember(client(one.url), ana, board.id, bo, 'editor');
		const a = connect(one.url, board.id, { token: ana.token });
		const b = connect(two.url, board.id, { token: bo.token });
		try {
			expect(await a.ready).toBe(true);
			expect(await b.ready).toBe(true);
			const seen = (p: typeof a, clientId: number) =>
				p.provider.awareness!.getStates().get(clientId) as
					{ openCard?: string; user?: { name?: string } } | undefined;
			a.provider.setAwarenessField('openCard', 'from one');
			await waitFor(
				() => seen(b, a.doc.clientID)?.openCard === 'from one',
				5000,
				"Ana's presence on the other instance"
			);
			expect(seen(b, a.doc.clientID)?.user?.name).toBe('Ana');
			b.provider.setAwarenessField('openCard', 'from two');
			await waitFor(
				() => seen(a, b.doc.clientID)?.openCard === 'from two',
				5000,
				"Bo's presence on the other instance"
			);
			expect(seen(a, b.doc.clientID)?.user?.name).toBe('Bo');

			// A viewer on the other instance sends a state under Ana's id: stamped with the viewer's
			// name there, it must not replace Ana's here.
			const cy = await signUp(client(one.url), 'Cy');
			await addMember(client(one.url), ana, board.id, cy, 'viewer');
			const spoof = rawClient(two.url, board.id);
			try {
				expect(await spoof.authenticate(cy.token)).toBe(true);
				const frame = (clientId: number, clock: number, openCard: string) =>
					awarenessFrame(spoof.document, { clientId, clock, state: { openCard } });
				spoof.send(frame(a.doc.clientID, 999, 'spoofed'));
				// Frames of one socket go in order, and so do their relays: once Cy's own state is
				// here, the spoofed one was handled.
				spoof.send(frame(4242, 1, 'Cy’s own'));
				await waitFor(() => seen(a, 4242)?.openCard === 'Cy’s own', 5000, "Cy's own presence");
				// As instance one holds it (Ana's own provider shows its local state, unstamped).
				const onOne = one.app.runtime.collab.hocuspocus.documents
					.get(`board:${board.id}`)
					?.awareness.getStates()
					.get(a.doc.clientID);
				expect(onOne).toMatchObject({ openCard: 'from one', user: { name: 'Ana' } });
			} finally {
				spoof.socket.terminate();
			}
		} finally {
			a.destroy();
			b.destroy();
		}
	});
});
