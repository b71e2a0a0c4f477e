/**
 * Who may read "My tasks" (`GET /api/v1/me/tasks`), as a row of the authorization matrix: any
 * signed-in caller (tokens too, read-only ones included) reads their own list, and each list
 * holds only the caller's own cards: on a board where the owner, the editor and the viewer each
 * have a card, everyone sees exactly theirs (tokens act as the editor), the others none.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import {
	matrixTests,
	row,
	spec,
	startCast,
	type Actor,
	type Cast,
	type EndpointSpec,
	type Person,
	type Row
} from './support/authz.ts';
import { addMember, createBoard } from './support/http.ts';

type Endpoint = 'GET me tasks';

// prettier-ignore
const expected: Record<Endpoint, Row> = {
	//                  anonymous  token read  token rw  non-member  viewer  editor  owner  admin
	'GET me tasks': row(401,      200,        200,      200,        200,    200,    200,   200)
};

let cast: Cast;
/** The card assigned to each member of the shared board. */
const cards = new Map<Person, string>();

beforeAll(async () => {
	cast = await startCast('MeTasks');
	const { owner, editor, viewer } = cast.users;
	const board = await createBoard(cast.api, owner, 'My tasks matrix');
	await addMember(cast.api, owner, board.id, editor, 'editor');
	await addMember(cast.api, owner, board.id, viewer, 'viewer');
	for (const person of ['owner', 'editor', 'viewer'] as const) {
		const res = await cast.api.post(
			`/api/v1/boards/${board.id}/tasks`,
			{ title: `For the ${person}`, assigneeId: cast.users[person].id },
			{ token: owner.token }
		);
		expect(res.status, JSON.stringify(res.body)).toBe(201);
		cards.set(person, res.body.id);
	}
});
afterAll(async () => {
	await cast?.t.stop();
});

const endpoints: Record<Endpoint, EndpointSpec<unknown>> = {
	'GET me tasks': spec<null>({
		fixture: async () => null,
		call: (_f, token) => cast.api.get('/api/v1/me/tasks', { token }),
		succeeded(res, _f, actor: Actor) {
			const user = cast.userOf(actor)!;
			const person = (Object.keys(cast.users) as Person[]).find(
				(key) => cast.users[key].id === user.id
			)!;
			const own = cards.get(person);
			expect(res.body.items.map((item: { id: string }) => item.id)).toEqual(own ? [own] : []);
		},
		async verify() {
			// A read: the cards are where they were, still assigned to the same people.
			for (const [person, id] of cards) {
				const res = await cast.api.get(`/api/v1/tasks/${id}`, {
					token: cast.users.owner.token
				});
				expect(res.body.assigneeId).toBe(cast.users[person].id);
			}
		}
	})
};

describe('authorization matrix: my tasks', () => {
	matrixTests(expected, endpoints, () => cast);
});
