/**
 * Who may list, name, preview and restore a board's versions, as a table: every actor against
 * every version endpoint, each cell checking the effect (or its absence) through the owner's eyes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { expectProblem } from './support/problem.ts';

type Endpoint = 'GET versions' | 'POST versions' | 'GET version' | 'POST version restore';

/** Members (and admins) read the history; editors and owners name and restore. */
// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                        anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET versions':         row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST versions':        row(401,      403,        201,      404,        403,    201,    201,   403),
	'GET version':          row(401,      200,        200,      404,        200,    200,    200,   200),
	'POST version restore': row(401,      403,        200,      404,        403,    200,    200,   403)
};

interface Fixture {
	boardId: string;
	versionId: string;
	/** Unique to the cell: a version name, or the title of the card the restore removes. */
	label: string;
}

let cast: Cast;
let reads: Fixture;

const owner = () => ({ token: cast.users.owner.token });

async function ok(res: Promise<ApiResponse>, status = 200): Promise<any> {
	const answer = await res;
	expect(answer.status, JSON.stringify(answer.body)).toBe(status);
	return answer.body;
}

async function memberBoard(title: string): Promise<string> {
	const { api, users } = cast;
	const board = await createBoard(api, users.owner, title);
	await addMember(api, users.owner, board.id, users.editor, 'editor');
	await addMember(api, users.owner, board.id, users.viewer, 'viewer');
	return board.id;
}

const versionsPath = (boardId: string) => `/api/v1/boards/${boardId}/versions`;

/** A board of its own with a named (empty) version, then a card created after it. */
async function ownBoard(): Promise<Fixture> {
	const boardId = await memberBoard('Versions matrix writes');
	const label = `Matrix ${randomUUID()}`;
	const version = await ok(cast.api.post(versionsPath(boardId), { name: 'empty' }, owner()), 201);
	await ok(cast.api.post(`/api/v1/boards/${boardId}/tasks`, { title: label }, owner()), 201);
	return { boardId, versionId: version.id, label };
}

const names = async (boardId: string) =>
	(await ok(cast.api.get(versionsPath(boardId), owner()))).items.map(
		(v: { name: string | null }) => v.name
	);
const liveTitles = async (boardId: string) =>
	(await ok(cast.api.get(`/api/v1/boards/${boardId}/tasks`, owner()))).items.map(
		(t: { title: string }) => t.title
	);

/** Reads change nothing: the shared board still holds exactly its one version. */
async function unchanged() {
	expect(await names(reads.boardId)).toEqual(['Matrix reads version']);
}

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET versions': spec<Fixture>({
		fixture: async () => reads,
		call: (f, token) => cast.api.get(versionsPath(f.boardId), { token }),
		succeeded(res) {
			expect(res.body).toMatchObject({
				items: [{ id: reads.versionId, name: 'Matrix reads version', automatic: false }],
				nextCursor: null
			});
		},
		verify: unchanged
	}),
	'POST versions': spec<Fixture>({
		fixture: async () => ({ ...reads, label: `Named ${randomUUID()}` }),
		call: (f, token) => cast.api.post(versionsPath(f.boardId), { name: f.label }, { token }),
		succeeded(res, f, actor) {
			expect(res.body).toMatchObject({ name: f.label, createdBy: cast.userOf(actor)!.id });
			expect(res.headers.get('location')).toBe(`${versionsPath(f.boardId)}/${res.body.id}`);
		},
		async verify(f, allowed) {
			const all = await names(f.boardId);
			expect(all.filter((n: string | null) => n === f.label)).toHaveLength(allowed ? 1 : 0);
			// Keep the shared board's history as the read cells expect it.
			if (allowed) {
				const { sql } = cast.t.app.runtime.ctx;
				await sql`delete from board_versions where name = ${f.label}`;
			}
		}
	}),
	'GET version': spec<Fixture>({
		fixture: async () => reads,
		call: (f, token) => cast.api.get(`${versionsPath(f.boardId)}/${f.versionId}`, { token }),
		succeeded(res) {
			expect(res.body.version.id).toBe(reads.versionId);
			const titles = res.body.board.columns.flatMap((c: { tasks: { title: string }[] }) =>
				c.tasks.map((t) => t.title)
			);
			expect(titles).toEqual([reads.label]);
		},
		verify: unchanged
	}),
	'POST version restore': spec<Fixture>({
		fixture: ownBoard,
		call: (f, token) =>
			cast.api.post(`${versionsPath(f.boardId)}/${f.versionId}/restore`, undefined, { token }),
		succeeded(res, f) {
			expect(res.body.restored.id).toBe(f.versionId);
			expect(res.body.previous.name).toBe('Before restoring “empty”');
		},
		async verify(f, allowed) {
			expect(await liveTitles(f.boardId)).toEqual(allowed ? [] : [f.label]);
		}
	})
};

beforeAll(async () => {
	cast = await startCast('Versions matrix');
	const boardId = await memberBoard('Versions matrix reads');
	const label = 'Card in the version';
	await ok(cast.api.post(`/api/v1/boards/${boardId}/tasks`, { title: label }, owner()), 201);
	const version = await ok(
		cast.api.post(versionsPath(boardId), { name: 'Matrix reads version' }, owner()),
		201
	);
	reads = { boardId, versionId: version.id, label };
}, 60_000);

afterAll(async () => {
	await cast?.t.stop();
});

describe('version history authorization matrix', () => {
	matrixTests(expected, endpoints, () => cast);

	it('answers 404 for a version of another board, or none, like for a board you cannot see', async () => {
		const other = await ownBoard();
		expectProblem(
			await cast.api.get(`${versionsPath(reads.boardId)}/${other.versionId}`, owner()),
			404
		);
		expectProblem(await cast.api.get(`${versionsPath(reads.boardId)}/not-a-uuid`, owner()), 404);
		expectProblem(
			await cast.api.post(
				`${versionsPath(reads.boardId)}/${randomUUID()}/restore`,
				undefined,
				owner()
			),
			404
		);
	});
});
