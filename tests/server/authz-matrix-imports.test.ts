/**
 * Who may import a board (`POST /api/v1/imports`: any signed-in caller, a read-only token
 * excepted; the new board is the caller's own) and who may follow an import
 * (`GET /api/v1/imports/:id`: only the one who started it; everyone else, admins included, is
 * told it does not exist). Tokens act as the editor.
 */
import postgres from 'postgres';
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

type Endpoint = 'POST imports' | 'GET import';

// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                  anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'POST imports': row(401,      403,        202,      202,        202,    202,    202,   202),
	'GET import':   row(401,      404,        404,      404,        404,    404,    200,   404)
};

let cast: Cast;
let sql: postgres.Sql;
/** An import the owner started. */
let ownersImport: string;

const csvImport = (title: string) => ({
	source: 'csv',
	title,
	csv: 'title\nA card\n',
	mapping: { title: 0 }
});

beforeAll(async () => {
	cast = await startCast('Imports');
	sql = postgres(cast.t.db.url, { max: 1, onnotice: () => {} });
	const res = await cast.api.post('/api/v1/imports', csvImport('Owner’s'), {
		token: cast.users.owner.token
	});
	expect(res.status).toBe(202);
	ownersImport = res.body.id;
});
afterAll(async () => {
	await sql?.end();
	await cast?.t.stop();
});

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'POST imports': spec<{ title: string }>({
		fixture: async (actor) => ({ title: `Import by ${actor} ${Math.random()}` }),
		call: (f, token) => cast.api.post('/api/v1/imports', csvImport(f.title), { token }),
		succeeded(res) {
			expect(res.body.state).toMatch(/queued|running|done/);
			expect(res.headers.get('location')).toBe(`/api/v1/imports/${res.body.id}`);
		},
		async verify(f, allowed, actor) {
			const owners = () => sql`
				select b.owner_id, i.user_id from boards b join imports i on i.board_id = b.id
				where b.title = ${f.title}`;
			if (!allowed) {
				expect(await owners()).toHaveLength(0);
				return;
			}
			// The import is the caller's, and so is the board once written.
			const caller = cast.userOf(actor)!.id;
			await expect
				.poll(async () => (await owners())[0])
				.toEqual({ owner_id: caller, user_id: caller });
		}
	}),
	'GET import': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get(`/api/v1/imports/${ownersImport}`, { token }),
		succeeded(res) {
			expect(res.body.id).toBe(ownersImport);
		},
		async verify() {
			// A read: the import still belongs to the owner.
			const [found] = await sql`select user_id from imports where id = ${ownersImport}`;
			expect(found!.user_id).toBe(cast.users.owner.id);
		}
	})
};

describe('authorization matrix: imports', () => {
	matrixTests(expected, endpoints, () => cast);
});
