/**
 * Importing a board (from a Trello export, a mapped CSV file or a TaskFlow export) in the
 * background: the request checks the input and queues an `imports` row; the work runs in this
 * process after the answer, in steps, and ends with a report. Everything the import makes (the
 * board, its document, rows, members, comments and `board.created` event) is written in one
 * transaction, so the board appears whole or not at all; while it runs, the row's `phase` and
 * `done` of `total` (cards built into the document, card rows saved, comments added) move after
 * every step, written beside the transaction so a poller sees them before it commits.
 */
import * as Y from 'yjs';
import {
	maxReportedSkips,
	type ImportDto,
	type ImportPhase,
	type ImportReportDto,
	type ImportSourceName
} from '../api/imports.ts';
import { maxCommentLength } from '../api/comments.ts';
import {
	isDomainError,
	writeBoardContentInSteps,
	type ContentCard
} from '../domain/board/index.ts';
import { cleanText } from '../domain/board/records.ts';
import { validateTitle } from '../domain/board/validate.ts';
import {
	cardCount,
	ImportFormatError,
	type ImportCard,
	type ImportComment,
	type ImportPerson,
	type ImportPlan
} from '../domain/import/plan.ts';
import { shown } from '../domain/import/json.ts';
import { createBoard } from './boards.ts';
import type { AppContext } from './context.ts';
import type { Queryable, Tx } from './db/client.ts';
import { toImportDto, type ImportRow } from './import-rows.ts';
import { changeWithEvents, type EventSource } from './events/audit.ts';
import { addMember } from './members.ts';

/** Progress moves after this many cards built into the document, or comments added. */
export const importStep = 250;

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

/**
 * Imports that run at once in this process. Each holds one pooled connection (its transaction)
 * for its whole run, seconds for a large board: more at once could take every connection of the
 * pool from requests and board stores. The others wait, `queued` in phase `waiting`, in order.
 */
export const maxRunningImports = 2;
/**
 * Imports that may wait for a slot in this process: each holds its checked plan in memory
 * until it runs, so past this many a new one is refused (`ImportsBusyError`, a 429).
 */
export const maxWaitingImports = 8;
/**
 * A waiting import's row is touched this often, so it is not taken for one a stopped process
 * left (`failAbandonedImports`: silent for two minutes).
 */
const waitingHeartbeatMs = 30_000;

/** Every slot is taken and the queue is full: try again later. */
export class ImportsBusyError extends Error {
	/** Seconds after which a retry is likely to find room (about one large import's time). */
	readonly retryAfter = 10;
}

/** Imports of this process queued or running (counted from before their row is written). */
let importsAdmitted = 0;
let importsRunning = 0;
const importsWaiting: (() => void)[] = [];

/**
 * Runs `work` when one of the `maxRunningImports` slots is free. A finished import hands its
 * slot straight to the next waiting one, so a newcomer cannot take it in between.
 */
async function inSlot(work: () => Promise<void>, whileWaiting: () => () => void): Promise<void> {
	if (importsRunning < maxRunningImports) importsRunning += 1;
	else {
		const stop = whileWaiting();
		await new Promise<void>((resolve) => importsWaiting.push(resolve));
		stop();
	}
	try {
		await work();
	} finally {
		const next = importsWaiting.shift();
		if (next) next();
		else importsRunning -= 1;
	}
}

/**
 * Queues the import and starts it in the background once a slot is free; the row is its first
 * progress. `ImportsBusyError` (nothing queued) when the slots and the queue are all taken.
 */
export async function startImport(
	ctx: AppContext,
	source: EventSource,
	input: { userId: string; source: ImportSourceName; plan: ImportPlan }
): Promise<ImportDto> {
	if (importsAdmitted >= maxRunningImports + maxWaitingImports) throw new ImportsBusyError();
	importsAdmitted += 1;
	let row: ImportRow | undefined;
	try {
		[row] = await ctx.sql<ImportRow[]>`
			insert into imports (user_id, source, total)
			values (${input.userId}, ${input.source}, ${progressTotal(input.plan)})
			returning *`;
	} catch (error) {
		importsAdmitted -= 1;
		throw error;
	}
	void inSlot(
		() => runImport(ctx, source, row!, input.plan),
		() => {
			const timer = setInterval(() => {
				void ctx.sql`
					update imports set updated_at = now() where id = ${row!.id} and state = 'queued'`.catch(
					(err: unknown) =>
						ctx.log.warn({ err, importId: row!.id }, 'could not touch a waiting import')
				);
			}, waitingHeartbeatMs);
			timer.unref();
			return () => clearInterval(timer);
		}
	).finally(() => {
		importsAdmitted -= 1;
	});
	return toImportDto(row!);
}

/** Progress units: each card counts once built into the document and once saved; each comment once. */
function progressTotal(plan: ImportPlan): number {
	const comments = plan.columns.reduce(
		(sum, column) => sum + column.cards.reduce((n, card) => n + card.comments.length, 0),
		0
	);
	return 2 * cardCount(plan) + comments;
}

/**
 * Writes progress beside the import's transaction, never in its way: a report replaces any
 * not yet written and at most one write is under way, so the import does not wait for it (with
 * the embedded database's single connection it could not: the write waits for the commit).
 */
function progressWriter(ctx: AppContext, id: string) {
	let wanted: { phase: ImportPhase; done: number } | null = null;
	let writing: Promise<void> | null = null;
	async function write(): Promise<void> {
		while (wanted) {
			const { phase, done } = wanted;
			wanted = null;
			await ctx.sql`
				update imports set state = 'running', phase = ${phase}, done = ${done}, updated_at = now()
				where id = ${id} and state in ('queued', 'running')`.catch((err: unknown) =>
				ctx.log.warn({ err, importId: id }, 'could not record import progress')
			);
		}
		writing = null;
	}
	return {
		/** Records the step and lets the event loop turn (pollers are answered, the write is sent). */
		async report(phase: ImportPhase, done: number): Promise<void> {
			wanted = { phase, done };
			writing ??= write();
			await new Promise((resolve) => setImmediate(resolve));
		},
		/** Waits until every report is written (before the final state, which must come last). */
		async settle(): Promise<void> {
			while (writing) await writing;
		}
	};
}

type ProgressWriter = ReturnType<typeof progressWriter>;

async function runImport(
	ctx: AppContext,
	source: EventSource,
	row: ImportRow,
	plan: ImportPlan
): Promise<void> {
	const progress = progressWriter(ctx, row.id);
	try {
		await progress.report('people', 0);
		const report = await writeImport(ctx, source, row, plan, progress);
		await progress.settle();
		await ctx.sql`
			update imports
			set state = 'done', done = total, report = ${ctx.sql.json(JSON.parse(JSON.stringify(report)))},
				board_id = ${row.board_id}, finished_at = now(), updated_at = now()
			where id = ${row.id}`;
	} catch (error) {
		await progress.settle();
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

/**
 * Accounts for the people the plan names: by e-mail (any case), then user name = e-mail's local
 * part, but only where exactly one account has that local part (two accounts named john@… are
 * not a match for Trello's "john": the import would otherwise pick one at random and give a
 * stranger access to the board).
 */
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
	const byName = new Map<string, MatchedUser | null>();
	for (const user of users) {
		const name = user.email.toLowerCase().split('@')[0]!;
		byName.set(name, byName.has(name) ? null : user);
	}
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
export function quotedComment(comment: ImportComment) {
	// Cut where a pair would not be split (a half emoji is not text PostgreSQL stores).
	return cleanText(quoteHead(comment) + comment.text, maxCommentLength);
}

function quoteHead(comment: ImportComment): string {
	const day = comment.date?.slice(0, 10);
	return `> **${comment.author.replace(/[*\n]/g, ' ')}** wrote${day ? ` on ${day}` : ''}:\n\n`;
}

/** Report lines for the comments whose quote line pushes them past the limit (cut at its end). */
function cutByQuote(cards: readonly ImportCard[]): ImportReportDto['skipped'] {
	return cards.flatMap((card) =>
		card.comments
			.filter((comment) => quoteHead(comment).length + comment.text.length > maxCommentLength)
			.map((comment) => ({
				what: `The end of ${shown(comment.author)}’s comment on “${card.title}”`,
				reason:
					comment.text.length > maxCommentLength
						? `longer than ${maxCommentLength} characters`
						: `longer than ${maxCommentLength} characters with the line quoting its author`
			}))
	);
}

async function writeImport(
	ctx: AppContext,
	source: EventSource,
	row: ImportRow,
	plan: ImportPlan,
	progress: ProgressWriter
): Promise<ImportReportDto> {
	const title = validateTitle(plan.title);
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
	const built = cards.length;
	let cardIds: string[] = [];
	let comments = 0;
	let added: Awaited<ReturnType<typeof addMember>>[] = [];
	const board = await changeWithEvents(ctx, source, async (tx) => {
		const created = await createBoard(
			tx,
			{ title, ownerId: row.user_id },
			async (doc: Y.Doc) => {
				await progress.report('document', 0);
				const steps = writeBoardContentInSteps(
					doc,
					content,
					{ actorId: row.user_id, memberIds },
					importStep
				);
				for (let step = steps.next(); ; step = steps.next()) {
					if (step.done) {
						cardIds = step.value;
						break;
					}
					await progress.report('document', step.value);
				}
				await progress.report('cards', built);
			},
			(saved) => progress.report('cards', built + saved)
		);
		// Through the membership store, each with its `member.added` event (and what that event
		// causes: the added person is told), as an owner's invitation would.
		added = [];
		for (const userId of memberIds) {
			if (userId === row.user_id) continue;
			added.push(await addMember(tx, { boardId: created.id, userId, role: 'editor' }));
		}
		comments = await addComments(
			tx,
			{ boardId: created.id, authorId: row.user_id, cards, cardIds },
			(added) => progress.report('comments', 2 * built + added)
		);
		await progress.report('finishing', 2 * built + comments);
		// Last, so the row is not locked while progress is written beside this transaction.
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
				},
				...added.map((member) => ({
					type: 'member.added' as const,
					entityType: 'member' as const,
					entityId: member.userId,
					boardId: created.id,
					payload: { userId: member.userId, name: member.name, role: member.role }
				}))
			]
		};
	});
	row.board_id = board.id;
	const skipped = [...plan.skipped, ...cutByQuote(cards)];
	return {
		imported: {
			columns: plan.columns.length,
			cards: cards.length,
			checklistItems: cards.reduce((sum, card) => sum + card.checklist.length, 0),
			comments
		},
		// Stored with the import and sent on every poll: a file of thousands of cards in archived
		// lists would make a report of megabytes.
		skipped: skipped.slice(0, maxReportedSkips),
		skippedCount: skipped.length,
		unmatchedPeople: [...unmatched],
		addedMembers: added.map((member) => member.name)
	};
}

/**
 * The plan's comments, by the importer, quoting their original authors, in steps of
 * `importStep`: one insert per step, and each card's count raised by what it got. Cards
 * imported as deleted get theirs too, so restoring such a card shows them. Straight to the
 * store: imported words mention nobody anew, so nobody is notified. Returns how many were added.
 */
async function addComments(
	tx: Tx,
	input: { boardId: string; authorId: string; cards: ImportCard[]; cardIds: string[] },
	onStep: (added: number) => Promise<void>
): Promise<number> {
	const pending: { taskId: string; comment: ImportComment }[] = input.cards.flatMap((card, i) =>
		card.comments.map((comment) => ({ taskId: input.cardIds[i]!, comment }))
	);
	for (let start = 0; start < pending.length; start += importStep) {
		const step = pending.slice(start, start + importStep);
		const taskIds = step.map((p) => p.taskId);
		const bodies = step.map((p) => quotedComment(p.comment));
		// Ordinality keeps the source's order in `seq`, which is how a card's comments are read.
		await tx`
			insert into comments (board_id, task_id, author_id, body)
			select ${input.boardId}, task_id, ${input.authorId}, body
			from unnest(${taskIds}::uuid[], ${bodies}::text[]) with ordinality as c(task_id, body, n)
			order by n`;
		const counts = new Map<string, number>();
		for (const id of taskIds) counts.set(id, (counts.get(id) ?? 0) + 1);
		await tx`
			update tasks set comment_count = tasks.comment_count + c.n
			from unnest(${[...counts.keys()]}::uuid[], ${[...counts.values()]}::int[]) as c(id, n)
			where tasks.board_id = ${input.boardId} and tasks.id = c.id`;
		await onStep(start + step.length);
	}
	return pending.length;
}
