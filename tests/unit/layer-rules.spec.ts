/**
 * The layer rules live in eslint.config.js; these cases lint small in-memory modules with the
 * project's own configuration, so deleting or loosening a rule fails here instead of silently.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

/**
 * Messages of the import rules for `code` as if it were the file at `filePath`. Svelte files are
 * type-aware (the project service), so their cases borrow the path of a real file.
 */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath });
	// A parse error would report no rule at all, so an "allowed" case could pass unseen.
	expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
	return result!.messages
		.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
		.map((m) => m.message);
}

const refused: [where: string, filePath: string, code: string][] = [
	[
		'a route component',
		'src/routes/boards/[id]/TaskCard.svelte',
		`<script lang="ts">\n\timport type { BoardDto } from '$lib/server/boards';\n\tlet { board }: { board: BoardDto } = $props();\n</script>\n\n<p>{board.title}</p>\n`
	],
	[
		'a rune module',
		'src/lib/collab/board-link.svelte.ts',
		`import { createSql } from '$lib/server/db/client';\nexport const probe = createSql;\n`
	],
	[
		'a universal load',
		'src/routes/boards/+page.ts',
		`import { getBoardWithRole } from '#lib/server/boards.ts';\nexport const load = () => getBoardWithRole;\n`
	],
	[
		'a shared component',
		'src/lib/components/probe.ts',
		`export { listMembers } from '../server/members.ts';\n`
	],
	[
		'a relative path from a route',
		'src/routes/api/docs/probe.ts',
		`import type { JsonSchema } from '../../../lib/server/api/openapi/types.ts';\nexport type Probe = JsonSchema;\n`
	],
	[
		'a dynamic import',
		'src/lib/api/probe.ts',
		`export const probe = () => import('$lib/server/log');\n`
	],
	[
		'the domain importing the server',
		'src/lib/domain/probe.ts',
		`import type { Sql } from '../server/db/client.ts';\nexport type Probe = Sql;\n`
	],
	[
		'the domain importing node:',
		'src/lib/domain/probe.ts',
		`import { randomUUID } from 'node:crypto';\nexport const probe = randomUUID;\n`
	],
	[
		'the domain importing a bare Node built-in',
		'src/lib/domain/probe.ts',
		`import { createHash } from 'crypto';\nexport const probe = createHash;\n`
	],
	[
		'the domain importing $app',
		'src/lib/domain/probe.ts',
		`import { browser } from '$app/environment';\nexport const probe = browser;\n`
	],
	[
		'the domain importing $env',
		'src/lib/domain/probe.ts',
		`import { env } from '$env/dynamic/private';\nexport const probe = env;\n`
	],
	[
		'the domain importing svelte',
		'src/lib/domain/probe.ts',
		`import { untrack } from 'svelte';\nexport const probe = untrack;\n`
	],
	[
		'server/ importing a route',
		'server/probe.ts',
		`import { GET } from '../src/routes/health/+server.ts';\nexport const probe = GET;\n`
	],
	[
		'server/ importing browser state',
		'server/probe.ts',
		`import { BoardState } from '#lib/collab/board-state.svelte.ts';\nexport const probe = BoardState;\n`
	],
	[
		'server/ importing a component',
		'server/extensions/probe.ts',
		`import Avatar from '#lib/components/Avatar.svelte';\nexport const probe = Avatar;\n`
	],
	[
		'server/ importing a rune module',
		'server/probe.ts',
		`export { Inbox } from '#lib/notifications/inbox.svelte.ts';\n`
	],
	[
		'server/ importing a route dynamically',
		'server/probe.ts',
		`export const probe = () => import('../src/routes/health/+server.ts');\n`
	]
];

const allowed: [where: string, filePath: string, code: string][] = [
	[
		'a server load',
		'src/routes/boards/+page.server.ts',
		`import { listMembers } from '$lib/server/members';\nexport const load = () => listMembers;\n`
	],
	[
		'an endpoint',
		'src/routes/health/probe/+server.ts',
		`import { appContext } from '$lib/server/context';\nexport const GET = () => appContext;\n`
	],
	[
		'a route using shared types',
		'src/routes/boards/[id]/probe.ts',
		`import type { MemberDto } from '$lib/api/boards';\nimport { readBoardNews } from '$lib/collab-protocol/board-news';\nexport const probe = (m: MemberDto) => readBoardNews(m.name);\n`
	],
	[
		'the domain importing yjs',
		'src/lib/domain/probe.ts',
		`import * as Y from 'yjs';\nexport const probe = new Y.Doc();\n`
	],
	[
		'server/ importing shared modules',
		'server/probe.ts',
		`import { boardNewsMessage } from '#lib/collab-protocol/board-news.ts';\nimport { canReadBoard } from '#lib/domain/policy.ts';\nimport { createSql } from '#lib/server/db/client.ts';\nexport const probe = [boardNewsMessage, canReadBoard, createSql];\n`
	]
];

// The first Svelte case loads the TypeScript project for type-aware linting: seconds, not ms.
describe('layer rules in eslint.config.js', { timeout: 60_000 }, () => {
	it.each(refused)('refuse %s', async (_where, filePath, code) => {
		expect(await layerErrors(filePath, code)).toHaveLength(1);
	});

	it.each(allowed)('allow %s', async (_where, filePath, code) => {
		expect(await layerErrors(filePath, code)).toEqual([]);
	});
});
