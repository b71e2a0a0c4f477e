/**
 * Filling a new board's document with content made elsewhere: another board's live columns and
 * cards (a copy), or an import plan (a Trello export, a CSV file, a TaskFlow export). One writer
 * for both, so a copied and an imported board are built the same way, under fresh ids.
 */
import * as Y from 'yjs';
import { initBoard } from './board.ts';
import { newColumnMap } from './columns.ts';
import { commit, nextId, nowIso, type OpContext } from './context.ts';
import { isLabelColor } from './label-colors.ts';
import { rankBetween } from './rank.ts';
import type { BoardView } from './read.ts';
import {
	checklistKey,
	columnsMap,
	defaultCategory,
	labelColorsMap,
	tasksMap,
	type ColumnCategory,
	type TaskPriority
} from './schema.ts';
import { validateTitle } from './validate.ts';

/** A card to write; `assigneeId` is kept only if `ctx.memberIds` holds it. */
export interface ContentCard {
	title: string;
	description: string;
	priority: TaskPriority;
	assigneeId: string | null;
	dueDate: string | null;
	labels: readonly string[];
	checklist: readonly { text: string; done: boolean }[];
	/** Written as a deleted card (recoverable from "Recently deleted"). */
	deleted: boolean;
}

export interface ContentColumn {
	title: string;
	category?: ColumnCategory;
	wipLimit?: number | null;
	cards: readonly ContentCard[];
}

export interface BoardContent {
	title: string;
	columns: readonly ContentColumn[];
	/** Label name → palette colour; names outside the palette are left out. */
	labelColors?: Readonly<Record<string, string>>;
}

/**
 * Writes `content` into `doc`, a document that was never initialized, in one transaction.
 * Ranks are made afresh in the given order, so ties between source ranks cannot reorder the
 * result. An assignee stays only if `ctx.memberIds` (the new board's members) holds them: a
 * card must not name someone who cannot see it. Linear in the size of the content: cards and
 * checklist items are appended in order, never placed among siblings one by one. (The caller
 * bounds the size: BOARD_MAX_CARDS is server configuration.) Returns the new cards' ids in the
 * order of `content` (column by column), so the caller can attach what lives outside the
 * document (comments).
 */
export function writeBoardContent(doc: Y.Doc, content: BoardContent, ctx: OpContext): string[] {
	const steps = writeBoardContentInSteps(doc, content, ctx, Infinity);
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}

/**
 * `writeBoardContent` in steps of `cardsPerStep` cards, one transaction each (the columns with
 * the first, the label colours with the last): after each step it yields how many cards are
 * written, so a caller writing a large board can report progress or let other work run. The
 * document is the same as one written at once; it is meant to be seen only when complete.
 */
export function* writeBoardContentInSteps(
	doc: Y.Doc,
	content: BoardContent,
	ctx: OpContext,
	cardsPerStep: number
): Generator<number, string[], void> {
	// Checked before anything is written, so a refusal leaves the document untouched.
	const title = validateTitle(content.title);
	const createdAt = nowIso(ctx);
	const ids: string[] = [];
	const placed: { card: ContentCard; columnId: string; rank: string }[] = [];
	const columns: Parameters<typeof newColumnMap>[0][] = [];
	let columnRank: string | null = null;
	for (const column of content.columns) {
		columnRank = rankBetween(columnRank, null);
		const columnId = nextId(ctx);
		columns.push({
			id: columnId,
			title: column.title,
			rank: columnRank,
			category: column.category ?? defaultCategory,
			wipLimit: column.wipLimit ?? null
		});
		let cardRank: string | null = null;
		for (const card of column.cards) {
			cardRank = rankBetween(cardRank, null);
			placed.push({ card, columnId, rank: cardRank });
		}
	}
	const size = Math.max(1, cardsPerStep);
	for (let start = 0; start === 0 || start < placed.length; start += size) {
		commit(doc, ctx, () => {
			if (start === 0)
				for (const column of columns) columnsMap(doc).set(column.id, newColumnMap(column));
			for (const { card, columnId, rank } of placed.slice(start, start + size)) {
				ids.push(writeCard(doc, card, { columnId, rank, createdAt }, ctx));
			}
			if (start + size >= placed.length) {
				for (const [label, color] of Object.entries(content.labelColors ?? {})) {
					if (isLabelColor(color)) labelColorsMap(doc).set(label, color);
				}
			}
		});
		yield ids.length;
	}
	// With columns in place, this only writes the title and schema version (no starter columns).
	initBoard(doc, { title }, ctx);
	return ids;
}

function writeCard(
	doc: Y.Doc,
	card: ContentCard,
	at: { columnId: string; rank: string; createdAt: string },
	ctx: OpContext
): string {
	const id = nextId(ctx);
	const keepAssignee = card.assigneeId !== null && ctx.memberIds?.has(card.assigneeId);
	const map = new Y.Map<unknown>();
	const fields: [string, unknown][] = [
		['id', id],
		['title', card.title],
		['description', new Y.Text(card.description)],
		['placement', { columnId: at.columnId, rank: at.rank }],
		['priority', card.priority],
		['assigneeId', keepAssignee ? card.assigneeId : null],
		['dueDate', card.dueDate],
		['labels', Y.Array.from([...card.labels])],
		['createdBy', ctx.actorId],
		['createdAt', at.createdAt],
		['deletedAt', card.deleted ? at.createdAt : null]
	];
	for (const [key, value] of fields) map.set(key, value);
	let itemRank: string | null = null;
	for (const item of card.checklist) {
		itemRank = rankBetween(itemRank, null);
		const itemId = nextId(ctx);
		const itemMap = new Y.Map<unknown>();
		for (const [key, value] of [
			['id', itemId],
			['text', item.text],
			['done', item.done],
			['rank', itemRank]
		] as const) {
			itemMap.set(key, value);
		}
		map.set(checklistKey(itemId), itemMap);
	}
	tasksMap(doc).set(id, map);
	return id;
}

/**
 * A copy of `source`'s live columns and live cards, titled `title`. History (deleted cards and
 * columns, who made what and when) stays with the source; the copy's cards are new cards made
 * by the one who copied.
 */
export function copyBoardContent(
	doc: Y.Doc,
	source: BoardView,
	input: { title: string },
	ctx: OpContext
): void {
	void writeBoardContent(
		doc,
		{
			title: input.title,
			columns: source.columns.map((column) => ({
				title: column.title,
				category: column.category,
				wipLimit: column.wipLimit,
				cards: column.tasks.map((task) => ({
					...task,
					checklist: task.checklist.map(({ text, done }) => ({ text, done })),
					deleted: false
				}))
			})),
			labelColors: source.labelColors
		},
		ctx
	);
}
