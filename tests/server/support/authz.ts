/**
 * The cast and the cell check shared by the authorization matrix files (`authz-matrix*.test.ts`).
 * Actors: anonymous; a `read` and a `read-write` personal access token of the board editor; a
 * signed-in user who is a member of nothing; the board's viewer, editor and owner; and the
 * workspace admin, who is a member of nothing either.
 */
import { expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app.ts';
import { client, signUp, type ApiResponse, type Client, type TestUser } from './http.ts';
import { expectProblem } from './problem.ts';

export const actors = [
	'anonymous',
	'token read',
	'token read-write',
	'non-member',
	'viewer',
	'editor',
	'owner',
	'admin'
] as const;
export type Actor = (typeof actors)[number];
export type Person = 'admin' | 'owner' | 'editor' | 'viewer' | 'non-member';

/** Expected statuses in the order of `actors`. */
export type Row = Record<Actor, number>;
export function row(...statuses: number[]): Row {
	expect(statuses).toHaveLength(actors.length);
	return Object.fromEntries(actors.map((actor, i) => [actor, statuses[i]!])) as Row;
}

export interface Cast {
	t: TestApp;
	api: Client;
	users: Record<Person, TestUser>;
	/** The editor's personal access tokens. */
	tokens: { read: { id: string; token: string }; readWrite: { id: string; token: string } };
	/** The bearer credential the actor sends; none for anonymous. */
	credential(actor: Actor): string | undefined;
	/** Whom the actor acts as: token actors act as the editor. */
	userOf(actor: Actor): TestUser | null;
}

export async function createToken(api: Client, user: TestUser, scope: 'read' | 'read-write') {
	const res = await api.post(
		'/api/v1/tokens',
		{ name: `matrix ${scope}`, scope },
		{ token: user.token }
	);
	expect(res.status, JSON.stringify(res.body)).toBe(201);
	return res.body as { id: string; token: string };
}

/**
 * Starts an app with a rate limit no matrix reaches (every session caller shares one address
 * here) and signs up the cast; `label` keeps the names of different files apart in failures.
 */
export async function startCast(label: string): Promise<Cast> {
	const t = await startTestApp({ API_RATE_LIMIT: '1000000' });
	const api = client(t.url);
	// The first account is the workspace admin.
	const admin = await signUp(api, `${label} Admin`);
	expect(admin.role).toBe('admin');
	const users: Record<Person, TestUser> = {
		admin,
		owner: await signUp(api, `${label} Owner`),
		editor: await signUp(api, `${label} Editor`),
		viewer: await signUp(api, `${label} Viewer`),
		'non-member': await signUp(api, `${label} Outsider`)
	};
	for (const person of ['owner', 'editor', 'viewer', 'non-member'] as const) {
		expect(users[person].role).toBe('user');
	}
	const tokens = {
		read: await createToken(api, users.editor, 'read'),
		readWrite: await createToken(api, users.editor, 'read-write')
	};
	return {
		t,
		api,
		users,
		tokens,
		credential(actor) {
			if (actor === 'anonymous') return undefined;
			if (actor === 'token read') return tokens.read.token;
			if (actor === 'token read-write') return tokens.readWrite.token;
			return users[actor].token;
		},
		userOf(actor) {
			if (actor === 'anonymous') return null;
			if (actor === 'token read' || actor === 'token read-write') return users.editor;
			return users[actor];
		}
	};
}

/** One endpoint of the matrix. `F` is what a cell works on. */
export interface EndpointSpec<F> {
	/** What the cell acts on: a fresh fixture when the call changes state, else a shared one. */
	fixture(actor: Actor): Promise<F>;
	/** Overrides the actor's usual credential (e.g. a fresh session made by the fixture). */
	credential?(fixture: F, actor: Actor): string | undefined;
	call(fixture: F, credential: string | undefined): Promise<ApiResponse>;
	/** Checks the success body. */
	succeeded(res: ApiResponse, fixture: F, actor: Actor): void | Promise<void>;
	/** Checks the state afterwards: the effect when allowed, its absence otherwise. */
	verify(fixture: F, allowed: boolean, actor: Actor): Promise<void>;
}

/** Lets a table hold specs with different fixture types. */
export const spec = <F>(s: EndpointSpec<F>) => s as EndpointSpec<unknown>;

export function cells<E extends string>(table: Record<E, Row>) {
	return (Object.keys(table) as E[]).flatMap((endpoint) =>
		actors.map((actor) => ({ endpoint, actor, status: table[endpoint][actor] }))
	);
}

/** Runs one cell: the status, the body (success or problem+json), then the state afterwards. */
export async function runCell(
	cast: Cast,
	endpoint: EndpointSpec<unknown>,
	actor: Actor,
	status: number
): Promise<void> {
	const fixture = await endpoint.fixture(actor);
	const credential = endpoint.credential
		? endpoint.credential(fixture, actor)
		: cast.credential(actor);
	const res = await endpoint.call(fixture, credential);
	const allowed = status < 300;
	if (allowed) {
		expect(res.status, JSON.stringify(res.body)).toBe(status);
		if (status !== 204)
			expect(res.headers.get('content-type')).toMatch(/^application\/([\w.-]+\+)?json\b/);
		else expect(res.body).toBe('');
		await endpoint.succeeded(res, fixture, actor);
	} else {
		expectProblem(res, status);
		if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
	}
	await endpoint.verify(fixture, allowed, actor);
}

/**
 * The matrix's tests, inside a `describe`: a check that the table covers every endpoint for
 * every actor, then one test per cell. `cast` is read when the cells run (after `beforeAll`).
 */
export function matrixTests<E extends string>(
	expected: Record<E, Row>,
	endpoints: Record<E, EndpointSpec<unknown>>,
	cast: () => Cast
): void {
	const rows = cells(expected);
	it('covers every actor and endpoint', () => {
		expect(Object.keys(expected).sort()).toEqual(Object.keys(endpoints).sort());
		expect(rows).toHaveLength(actors.length * Object.keys(endpoints).length);
	});

	it.each(rows)('$actor: $endpoint -> $status', async ({ endpoint, actor, status }) => {
		await runCell(cast(), endpoints[endpoint], actor, status);
	});
}
