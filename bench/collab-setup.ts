/**
 * Boards, members and sessions for the collaboration benchmark, made on TaskFlow and copied to
 * the bare server. Boards are created through the real API (so each has its document and
 * rows); the thousands of member accounts and their sessions go straight into their tables,
 * since signing each one up would only time password hashing. Cards are written by a client
 * with the domain operations, as a browser writes them.
 */
import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import * as Y from 'yjs';
import { createTask, readBoard } from '../src/lib/domain/board/index.ts';
import { client, signUp, type Client } from '../tests/server/support/http.ts';
import { closeAll, openAll, Room, ThinClient, until } from './collab-clients.ts';
import type { Target } from './collab-servers.ts';
import { RunStats } from './collab-stats.ts';

export interface Member {
	userId: string;
	token: string;
}

export interface BoardFixture {
	id: string;
	documentName: string;
	members: Member[];
	/** One card per member, in member order; empty for boards nobody edits. */
	taskIds: string[];
}

export interface GroupPlan {
	boards: number;
	perBoard: number;
	/** Give each member a card of its own. */
	cards: boolean;
}

let accounts = 0;

/** Signs up the owner that creates every board. */
export async function createOwner(target: Target): Promise<Member> {
	const owner = await signUp(client(target.httpUrl), 'Bench owner');
	return { userId: owner.id, token: owner.token };
}

async function newBoard(api: Client, owner: Member, title: string): Promise<string> {
	const res = await api.post('/api/v1/boards', { title }, { token: owner.token });
	if (res.status !== 201)
		throw new Error(`create board: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.id as string;
}

/** Creates `plan.boards` boards with `plan.perBoard` editors each (and their cards). */
export async function createGroup(
	target: Target,
	sql: postgres.Sql,
	owner: Member,
	plan: GroupPlan
): Promise<BoardFixture[]> {
	const api = client(target.httpUrl);
	const ids: string[] = [];
	for (let i = 0; i < plan.boards; i += 8) {
		const batch = Array.from({ length: Math.min(8, plan.boards - i) }, (_, k) =>
			newBoard(api, owner, `Load ${i + k}`)
		);
		ids.push(...(await Promise.all(batch)));
	}
	const count = plan.boards * plan.perBoard;
	const first = accounts + 1;
	accounts += count;
	const users = await sql<{ id: string }[]>`
		insert into users (email, password_hash, display_name)
		select 'bench-' || g || '@example.com', 'no password', 'Bench ' || g
		from generate_series(${first}::int, ${accounts}::int) g
		returning id`;
	const userIds = users.map((u) => u.id);
	const boardOf = userIds.map((_, i) => ids[Math.floor(i / plan.perBoard)]!);
	// Thirty days, as a fresh sign-in gets: a shorter one would be extended on every validation.
	const tokens = userIds.map(() => randomBytes(20).toString('hex'));
	await sql`
		insert into board_members (board_id, user_id, role)
		select b, u, 'editor' from unnest(${boardOf}::uuid[], ${userIds}::uuid[]) as t(b, u)`;
	await sql`
		insert into user_session (id, user_id, expires_at)
		select i, u, now() + interval '30 days'
		from unnest(${tokens}::text[], ${userIds}::uuid[]) as t(i, u)`;
	const boards = ids.map((id, b) => ({
		id,
		documentName: `board:${id}`,
		members: userIds
			.slice(b * plan.perBoard, (b + 1) * plan.perBoard)
			.map((userId, k) => ({ userId, token: tokens[b * plan.perBoard + k]! })),
		taskIds: [] as string[]
	}));
	if (plan.cards) {
		await withBoards(target, owner, boards, async (board, writer) => {
			const columnId = readBoard(writer.doc).columns[0]!.id;
			const updates: Uint8Array[] = [];
			const capture = (update: Uint8Array) => updates.push(update);
			writer.doc.on('update', capture);
			writer.doc.transact(() => {
				for (let k = 0; k < plan.perBoard; k++) {
					const title = `card ${k}`;
					board.taskIds.push(
						createTask(writer.doc, { columnId, title }, { actorId: owner.userId })
					);
				}
			});
			writer.doc.off('update', capture);
			writer.sendUpdate(updates[0]!);
		});
	}
	return boards;
}

/**
 * A board of `cards` cards with 200-character descriptions, written by `cards / 50` clients
 * at once (each appends 50 cards from the same starting state), as a busy team would; one
 * writer appending them all would cost the setup quadratic time.
 */
export async function createBigBoard(
	target: Target,
	owner: Member,
	cards: number
): Promise<BoardFixture> {
	const api = client(target.httpUrl);
	const id = await newBoard(api, owner, 'Big');
	const board: BoardFixture = { id, documentName: `board:${id}`, members: [], taskIds: [] };
	await withBoards(target, owner, [board], async (_board, writer) => {
		const base = Y.encodeStateAsUpdate(writer.doc);
		const columns = readBoard(writer.doc).columns.map((c) => c.id);
		for (let made = 0; made < cards; made += 50) {
			const fork = new Y.Doc();
			Y.applyUpdate(fork, base);
			const updates: Uint8Array[] = [];
			fork.on('update', (update: Uint8Array) => updates.push(update));
			fork.transact(() => {
				for (let i = made; i < Math.min(cards, made + 50); i++) {
					const columnId = columns[i % columns.length]!;
					createTask(
						fork,
						{ columnId, title: `task ${i}`, description: 'x'.repeat(200) },
						{ actorId: owner.userId }
					);
				}
			});
			writer.sendUpdate(updates[0]!);
			// A few in flight at a time, so the server's websocket queue stays short.
			if (!(await until(() => writer.unacked < 8, 60_000))) throw new Error('big board stalled');
		}
	});
	return board;
}

/**
 * Opens each board with the owner's session, lets `write` change it, and waits until the
 * server has acknowledged every update.
 */
async function withBoards(
	target: Target,
	owner: Member,
	boards: BoardFixture[],
	write: (board: BoardFixture, writer: ThinClient) => Promise<void>
): Promise<void> {
	const stats = new RunStats();
	for (let i = 0; i < boards.length; i += 8) {
		const batch = boards.slice(i, i + 8);
		const writers = batch.map(
			(board, k) =>
				new ThinClient(
					{
						url: target.wsUrl,
						room: new Room(board.documentName),
						token: owner.token,
						actorId: owner.userId,
						index: k
					},
					stats
				)
		);
		const opened = await openAll(writers, writers.length);
		if (opened.failed > 0) throw new Error(`setup: ${stats.describeErrors()}`);
		await Promise.all(batch.map((board, k) => write(board, writers[k]!)));
		if (!(await until(() => writers.every((w) => w.unacked === 0), 60_000))) {
			throw new Error('setup: the server did not acknowledge the cards');
		}
		await closeAll(writers);
	}
}

/**
 * Copies each board's document from TaskFlow to the bare server: a client syncs from one and
 * then connects to the other with that state, which its sync sends over.
 */
export async function copyBoards(
	from: Target,
	to: Target,
	owner: Member,
	boards: BoardFixture[]
): Promise<void> {
	const stats = new RunStats();
	for (let i = 0; i < boards.length; i += 16) {
		const batch = boards.slice(i, i + 16);
		const readers = batch.map(
			(board, k) =>
				new ThinClient(
					{
						url: from.wsUrl,
						room: new Room(board.documentName),
						token: owner.token,
						actorId: owner.userId,
						index: k
					},
					stats
				)
		);
		if ((await openAll(readers, 16)).failed > 0) throw new Error(`copy: ${stats.describeErrors()}`);
		const writers = batch.map(
			(board, k) =>
				new ThinClient(
					{
						url: to.wsUrl,
						room: new Room(board.documentName),
						token: owner.token,
						actorId: owner.userId,
						index: k,
						state: Y.encodeStateAsUpdate(readers[k]!.doc)
					},
					stats
				)
		);
		if ((await openAll(writers, 16)).failed > 0) throw new Error(`copy: ${stats.describeErrors()}`);
		if (!(await until(() => writers.every((w) => w.unacked === 0), 60_000))) {
			throw new Error('copy: the bare server did not acknowledge');
		}
		await closeAll([...readers, ...writers]);
	}
}
