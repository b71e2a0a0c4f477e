/**
 * Importing a board (from a Trello export, a mapped CSV file or a TaskFlow export) in the
 * background: the request checks the input and queues an `imports` row; the work runs in this
 * process after the answer, moving the row's `done` as it goes, and ends with a report. The
 * board, its document, rows, members and `board.created` event are written in one transaction
 * through the same writer as board copies; comments follow once the board exists.
 */
import * as Y from 'yjs';
import type { ImportDto, ImportReportDto, ImportSourceName } from '../api/imports.ts';
import { maxCommentLength } from '../api/comments.ts';
import { isDomainError, writeBoardContent, type ContentCard } from '../domain/board/index.ts';
import { validateTitle } from '../domain/board/validate.ts';
import {
	cardCount,
	ImportFormatError,
	type ImportPerson,
	type ImportPlan
} from '../domain/import/plan.ts';
import { createBoard } from './boards.ts';
import { insertComment } from './comments.ts';
import type { AppContext } from './context.ts';
import type { Queryable } from './db/client.ts';
import { toImportDto, type ImportRow } from './import-rows.ts';
import { changeWithEvents, type EventSource } from './events/audit.ts';

/** Comments are added in transactions of this many, progress moving after each. */
const commentBatch = 500;

/** The plan is over a board's limits; the sentence says which. */
export function planLimitError(ctx: AppContext, plan: ImportPlan): ImportFormatError | null {
	const cards = cardCount(plan);
	const { boardMaxCards, boardMaxColumns } = ctx.config;
	if (cards > boardMaxCards || plan.columns.length > boardMaxColumns) {
		return new ImportFormatError(
			`This file holds ${cards} cards in ${plan.columns.length} columns; a board may hold at most ${boardMaxCards} cards and ${boardMaxColumns} columns.`
		);
	}
	return null;
}

/** Queues the import and starts it in the background; the row is its first progress. */
export async function startImport(
	ctx: AppContext,
	source: EventSource,
	input: { userId: string; source: ImportSourceName; plan: ImportPlan }
): Promise<ImportDto> {
	const comments = input.plan.columns.reduce(
		(sum, column) => sum + column.cards.reduce((n, card) => n + card.comments.length, 0),
		0
	);
	const [row] = await ctx.sql<ImportRow[]>`
		insert into imports (user_id, source, total)
		values (${input.userId}, ${input.source}, ${cardCount(input.plan) + comments})
		returning *`;
	void runImport(ctx, source, row!, input.plan);
	return toImportDto(row!);
}

async function progress(ctx: AppContext, id: string, done: number): Promise<void> {
	await ctx.sql`
		update imports set state = 'running', done = ${done}, updated_at = now() where id = ${id}`;
}

async function runImport(
	ctx: AppContext,
	source: EventSource,
	row: ImportRow,
	plan: ImportPlan
): Promise<void> {
	try {
		await progress(ctx, row.id, 0);
		const report = await writeImport(ctx, source, row, plan);
		await ctx.sql`
			update imports
			set state = 'done', done = total, report = ${ctx.sql.json(JSON.parse(JSON.stringify(report)))},
				board_id = ${row.board_id}, finished_at = now(), updated_at = now()
			where id = ${row.id}`;
	} catch (error) {
		const known = error instanceof ImportFormatError || isDomainError(error);
		if (!known) ctx.log.error({ err: error, importId: row.id }, 'board import failed');
		const message = known
			? (error as Error).message
			: 'The import failed unexpectedly; nothing was created. Try again.';
		await ctx.sql`
			update imports
			set state = 'failed', error = ${message}, finished_at = now(), updated_at = now()
			where id = ${row.id}`.catch((err: unknown) =>
			ctx.log.error({ err, importId: row.id }, 'could not record a failed import')
		);
	}
}

interface MatchedUser {
	id: string;
	email: string;
}

/** Accounts for the people the plan names: by e-mail (any case), then user name = e-mail's local part. */
async function matchPeople(
	sql: Queryable,
	people: ImportPerson[]
): Promise<Map<ImportPerson, MatchedUser>> {
	const emails = [...new Set(people.flatMap((p) => (p.email ? [p.email.toLowerCase()] : [])))];
	const names = [...new Set(people.flatMap((p) => (p.username ? [p.username.toLowerCase()] : [])))];
	const users =
		emails.length + names.length === 0
			? []
			: await sql<MatchedUser[]>`
				select id, email from users
				where disabled_at is null
					and (lower(email) = any(${emails}) or lower(split_part(email, '@', 1)) = any(${names}))`;
	const byEmail = new Map(users.map((u) => [u.email.toLowerCase(), u]));
	const byName = new Map<string, MatchedUser>();
	for (const user of users) byName.set(user.email.toLowerCase().split('@')[0]!, user);
	const matched = new Map<ImportPerson, MatchedUser>();
	for (const person of people) {
		const user =
			(person.email && byEmail.get(person.email.toLowerCase())) ||
			(person.username && byName.get(person.username.toLowerCase()));
		if (user) matched.set(person, user);
	}
	return matched;
}

const personName = (p: ImportPerson) => p.name || p.email || p.username || 'someone';

/** The quoted comment: who wrote it and when in the source, then their words. */
export function quotedComment(comment: { author: string; date: string | null; text: string }) {
	const day = comment.date?.slice(0, 10);
	const head = `> **${comment.author.replace(/[*\n]/g, ' ')}** wrote${day ? ` on ${day}` : ''}:\n\n`;
	return (head + comment.text).slice(0, maxCommentLength);
}

async function writeImport(
	ctx: AppContext,
	source: EventSource,
	row: ImportRow,
	plan: ImportPlan
): Promise<ImportReportDto> {
	const title = validateTitle(plan.title);
	const skipped = [...plan.skipped];
	const cards = plan.columns.flatMap((column) => column.cards);
	const people = cards.flatMap((card) => (card.assignee ? [card.assignee] : []));
	const matched = await matchPeople(ctx.sql, people);
	const unmatched = new Set(people.filter((p) => !matched.has(p)).map(personName));
	const memberIds = new Set([row.user_id, ...[...matched.values()].map((u) => u.id)]);
	const content = {
		title,
		labelColors: plan.labelColors,
		columns: plan.columns.map((column) => ({
			title: column.title,
			category: column.category,
			wipLimit: column.wipLimit,
			cards: column.cards.map((card): ContentCard => ({
				...card,
				assigneeId: card.assignee ? (matched.get(card.assignee)?.id ?? null) : null
			}))
		}))
	};
	let cardIds: string[] = [];
	const board = await changeWithEvents(ctx, source, async (tx) => {
		const created = await createBoard(tx, { title, ownerId: row.user_id }, (doc: Y.Doc) => {
			cardIds = writeBoardContent(doc, content, { actorId: row.user_id, memberIds });
		});
		for (const userId of memberIds) {
			if (userId === row.user_id) continue;
			await tx`
				insert into board_members (board_id, user_id, role) values (${created.id}, ${userId}, 'editor')`;
		}
		await tx`update imports set board_id = ${created.id}, updated_at = now() where id = ${row.id}`;
		const payload = { title: created.title, importedFrom: row.source };
		return {
			result: created,
			events: [
				{
					type: 'board.created',
					entityType: 'board',
					entityId: created.id,
					boardId: created.id,
					payload
				}
			]
		};
	});
	row.board_id = board.id;
	let done = cards.length;
	await progress(ctx, row.id, done);

	const pending = cards.flatMap((card, index) =>
		card.comments.map((comment) => ({ taskId: cardIds[index]!, card, comment }))
	);
	let comments = 0;
	for (let start = 0; start < pending.length; start += commentBatch) {
		const batch = pending.slice(start, start + commentBatch);
		await ctx.sql.begin(async (tx) => {
			for (const { taskId, card, comment } of batch) {
				// Straight to the store: imported words mention nobody anew, so nobody is notified.
				const added = await insertComment(tx, {
					boardId: board.id,
					taskId,
					authorId: row.user_id,
					body: quotedComment(comment)
				});
				if (added) comments += 1;
				else skipped.push({ what: `A comment on “${card.title}”`, reason: 'its card is archived' });
			}
		});
		done += batch.length;
		await progress(ctx, row.id, done);
	}
	return {
		imported: {
			columns: plan.columns.length,
			cards: cards.length,
			checklistItems: cards.reduce((sum, card) => sum + card.checklist.length, 0),
			comments
		},
		skipped,
		unmatchedPeople: [...unmatched]
	};
}
