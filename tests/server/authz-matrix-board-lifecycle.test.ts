/**
 * Who may restore and duplicate a board, as a table: every actor against
 * `POST /boards/:id/restore` (owners and admins, like archiving) and `POST /boards/:id/duplicate`
 * (whoever may read the board and write: the copy is their own board). Every cell checks the
 * effect or its absence afterwards.
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
	row,
	spec,
	startCast,
	type Cast,
	type EndpointSpec,
	type Row,
	matrixTests
} from './support/authz.ts';
import { addMember, createBoard } from './support/http.ts';

type Endpoint = 'POST restore' | 'POST duplicate';

/** The expected status of each endpoint for each actor. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                   anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'POST restore':   row(401,      403,        403,      404,        403,    403,    200,   200),
	'POST duplicate': row(401,      403,        201,      404,        201,    201,    201,   201)
};

let cast: Cast;
let sql: postgres.Sql;
let sharedBoard: string;

/** A board of the owner's with the editor and viewer as members; archived when asked. */
async function buildBoard(title: string, archived: boolean): Promise<string> {
	const { api, users } = cast;
	const board = await createBoard(api, users.owner, title);
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	if (archived) {
		const res = await api.delete(`/api/v1/boards/${board.id}`, { token: users.owner.token });
		expect(res.status).toBe(204);
	}
	return board.id;
}

async function archivedAt(boardId: string): Promise<Date | null> {
	const [board] = await sql<{ archived_at: Date | null }[]>`
		select archived_at from boards where id = ${boardId}`;
	return board!.archived_at;
}

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'POST restore': spec<{ boardId: string }>({
		fixture: async () => ({ boardId: await buildBoard('Matrix archived', true) }),
		call: ({ boardId }, token) =>
			cast.api.post(`/api/v1/boards/${boardId}/restore`, undefined, { token }),
		succeeded(res, { boardId }) {
			expect(res.body).toMatchObject({ id: boardId, archivedAt: null });
		},
		async verify({ boardId }, allowed) {
			if (allowed) expect(await archivedAt(boardId)).toBeNull();
			else expect(await archivedAt(boardId)).toBeInstanceOf(Date);
		}
	}),
	'POST duplicate': spec<{ title: string }>({
		fixture: async () => ({ title: `Matrix copy ${randomUUID()}` }),
		call: ({ title }, token) =>
			cast.api.post(`/api/v1/boards/${sharedBoard}/duplicate`, { title }, { token }),
		succeeded(res, { title }) {
			expect(res.body).toMatchObject({ title, myRole: 'owner', archivedAt: null });
			expect(res.headers.get('location')).toBe(`/api/v1/boards/${res.body.id}`);
		},
		async verify({ title }, allowed, actor) {
			// The copy belongs to whoever made it, alone; the source keeps its members.
			const members = await sql<{ user_id: string; role: string }[]>`
				select m.user_id, m.role from boards b join board_members m on m.board_id = b.id
				where b.title = ${title}`;
			expect(members).toEqual(allowed ? [{ user_id: cast.userOf(actor)!.id, role: 'owner' }] : []);
		}
	})
};

beforeAll(async () => {
	cast = await startCast('Lifecycle');
	sql = postgres(cast.t.db.url, { max: 1, onnotice: () => {} });
	sharedBoard = await buildBoard('Matrix source', false);
});
afterAll(async () => {
	await sql?.end();
	await cast?.t.stop();
});

describe('board lifecycle authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);
});
