/**
 * Who may use the batch task endpoints and export a board, as a table: every actor against
 * creating and changing many tasks at once (each cell on tasks of its own, checking the effect
 * or its absence afterwards through the owner's eyes) and against the export (viewers may).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
	matrixTests,
	row,
	spec,
	startCast,
	type Cast,
	type EndpointSpec,
	type Row
} from './support/authz.ts';
import { addMember, createBoard, type ApiResponse } from './support/http.ts';

type Endpoint = 'POST tasks batch' | 'PATCH tasks batch' | 'GET board export';

/** The expected status of each endpoint for each actor. Admins read any board, edit none. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                     anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'POST tasks batch':  row(401,      403,        201,      404,        403,    201,    201,   403),
	'PATCH tasks batch': row(401,      403,        200,      404,        403,    200,    200,   403),
	'GET board export':  row(401,      200,        200,      404,        200,    200,    200,   200)
};

interface Fixture {
	boardId: string;
	/** A title unique to the cell. */
	title: string;
	/** Tasks of the cell's own, made by the owner (PATCH). */
	taskIds: string[];
}

let cast: Cast;
let board: { id: string };
const owner = () => ({ token: cast.users.owner.token });

async function ok(res: Promise<ApiResponse>, status = 200): Promise<any> {
	const answer = await res;
	expect(answer.status, JSON.stringify(answer.body)).toBe(status);
	return answer.body;
}

const batchPath = (f: Fixture) => `/api/v1/boards/${f.boardId}/tasks/batch`;
const fresh = async (): Promise<Fixture> => ({
	boardId: board.id,
	title: `Batch ${randomUUID()}`,
	taskIds: []
});

async function titled(f: Fixture, title: string): Promise<number> {
	const query = `?q=${encodeURIComponent(title)}&limit=200`;
	const { items } = await ok(cast.api.get(`/api/v1/boards/${f.boardId}/tasks${query}`, owner()));
	return items.length;
}

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'POST tasks batch': spec<Fixture>({
		fixture: fresh,
		call: (f, token) =>
			cast.api.post(
				batchPath(f),
				{ items: [{ title: `${f.title} one` }, { title: `${f.title} two` }] },
				{ token }
			),
		succeeded(res, f, actor) {
			expect(res.body.items).toHaveLength(2);
			expect(res.body.items[0]).toMatchObject({
				title: `${f.title} one`,
				creatorId: cast.userOf(actor)!.id
			});
		},
		async verify(f, allowed) {
			expect(await titled(f, f.title)).toBe(allowed ? 2 : 0);
		}
	}),
	'PATCH tasks batch': spec<Fixture>({
		async fixture() {
			const f = await fresh();
			const made = await ok(
				cast.api.post(
					batchPath(f),
					{ items: [{ title: `${f.title} a` }, { title: `${f.title} b` }] },
					owner()
				),
				201
			);
			return { ...f, taskIds: made.items.map((t: { id: string }) => t.id) };
		},
		call: (f, token) =>
			cast.api.patch(
				batchPath(f),
				{ items: f.taskIds.map((id) => ({ id, title: `${f.title} patched` })) },
				{ token }
			),
		succeeded(res, f) {
			expect(res.body.items.map((t: { id: string }) => t.id)).toEqual(f.taskIds);
		},
		async verify(f, allowed) {
			expect(await titled(f, `${f.title} patched`)).toBe(allowed ? 2 : 0);
		}
	}),
	'GET board export': spec<Fixture>({
		fixture: fresh,
		call: (f, token) => cast.api.get(`/api/v1/boards/${f.boardId}/export`, { token }),
		succeeded(res, f) {
			expect(res.body).toMatchObject({ format: 'taskflow.board', board: { id: f.boardId } });
			expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
		},
		async verify() {
			// A read: the board is as it was.
			expect((await ok(cast.api.get(`/api/v1/boards/${board.id}`, owner()))).title).toBe(
				'Matrix batch'
			);
		}
	})
};

beforeAll(async () => {
	cast = await startCast('Batch matrix');
	const { api, users } = cast;
	board = await createBoard(api, users.owner, 'Matrix batch');
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
}, 60_000);
afterAll(async () => {
	await cast?.t.stop();
});

describe('batch and export authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);
});
