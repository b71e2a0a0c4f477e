/**
 * A Trello board export (Board menu → Print, export and share → Export as JSON) as an import
 * plan. Lists become columns in Trello's order (archived lists are left out, with their cards,
 * and reported); cards keep name, description, due day, labels with their colours, order and
 * first member; archived cards are imported as deleted cards (recoverable from "Recently
 * deleted"); checklists become the card's checklist; `commentCard` actions become comments that
 * quote their original author and date.
 */
import { cleanText } from '../board/records.ts';
import { maxDescriptionLength } from '../board/schema.ts';
import { hasVisibleText } from '../visible-text.ts';
import { cleanChecklist } from './checklist.ts';
import { isObject, objects, shown, type Json } from './json.ts';
import {
	cleanLabels,
	reportLabels,
	cleanTitle,
	commentDate,
	dayOf,
	ImportFormatError,
	guessCategory,
	maxImportComments,
	noCut,
	oneLine,
	type ImportCard,
	type ImportComment,
	type ImportPerson,
	type ImportPlan,
	type SkippedItem,
	type TitleReport
} from './plan.ts';

/** Trello's label colours (and their `_light`/`_dark` variants) in TaskFlow's palette. */
const colorNames: Record<string, string> = {
	green: 'green',
	lime: 'green',
	yellow: 'yellow',
	orange: 'orange',
	red: 'red',
	purple: 'purple',
	pink: 'pink',
	blue: 'blue',
	sky: 'teal',
	black: 'gray'
};

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const position = (item: Json): number =>
	typeof item.pos === 'number' ? item.pos : Number(item.pos) || 0;
const byPosition = (a: Json, b: Json) => position(a) - position(b);

function paletteColor(trello: unknown): string | null {
	if (typeof trello !== 'string') return null;
	return colorNames[trello.replace(/_(light|dark)$/, '')] ?? null;
}

export function planFromTrello(input: unknown): ImportPlan {
	if (!isObject(input) || !Array.isArray(input.lists) || !Array.isArray(input.cards)) {
		throw new ImportFormatError(
			'This is not a Trello board export: it has no "lists" and "cards". In Trello, use Board menu → Print, export and share → Export as JSON.'
		);
	}
	const skipped: SkippedItem[] = [];
	// Keys are label names people typed ("__proto__" included): no prototype.
	const labelColors = Object.create(null) as Record<string, string>;
	const labelNames = new Map<string, string>();
	for (const label of objects(input.labels)) {
		const color = paletteColor(label.color);
		// Trello allows colour-only labels; the colour is then the only name there is. Cleaned
		// here, so the colour is keyed by the label the cards get.
		const [name] = cleanLabels([
			text(label.name).trim() || (typeof label.color === 'string' ? label.color : '')
		]).labels;
		if (!name) continue;
		labelNames.set(text(label.id), name);
		if (color) labelColors[name] = color;
	}
	const people = new Map<string, ImportPerson>();
	for (const member of objects(input.members)) {
		people.set(text(member.id), {
			email: text(member.email) || null,
			username: text(member.username) || null,
			name: text(member.fullName) || text(member.username) || 'Trello member'
		});
	}
	// Grouped per card by pushing onto each card's array (copying it per item was quadratic: 40,000
	// comments on one card took most of a minute).
	const checklists = new Map<string, Json[]>();
	for (const list of objects(input.checklists).sort(byPosition)) {
		const card = text(list.idCard);
		const lists = checklists.get(card);
		if (lists) lists.push(list);
		else checklists.set(card, [list]);
	}
	const comments = new Map<string, ImportComment[]>();
	let commentCount = 0;
	// Exports list actions newest first; comments read oldest first.
	for (const action of objects(input.actions).reverse()) {
		if (action.type !== 'commentCard' || !isObject(action.data) || !isObject(action.data.card))
			continue;
		if (++commentCount > maxImportComments) {
			throw new ImportFormatError(
				`This export holds more than ${maxImportComments} comments; import at most ${maxImportComments} at a time (delete or archive old comments in Trello first).`
			);
		}
		const creator = isObject(action.memberCreator) ? action.memberCreator : {};
		const card = text(action.data.card.id);
		const comment: ImportComment = {
			author: cleanText(text(creator.fullName) || text(creator.username) || 'Someone', noCut),
			date: commentDate(action.date),
			text: cleanText(text(action.data.text), noCut)
		};
		if (!hasVisibleText(comment.text)) {
			skipped.push({
				what: `An empty comment by ${shown(comment.author)}`,
				reason: 'it has no text'
			});
			continue;
		}
		const list = comments.get(card);
		if (list) list.push(comment);
		else comments.set(card, [comment]);
	}

	const lists = objects(input.lists).sort(byPosition);
	const open = new Set(lists.filter((l) => l.closed !== true).map((l) => text(l.id)));
	// Names for lists and cards left out: their whole text is not imported, so a cut is not news.
	const unreported: TitleReport = { skipped: [], of: () => '' };
	for (const list of lists.filter((l) => l.closed === true)) {
		skipped.push({
			what: `List “${cleanTitle(list.name, 'Untitled list', unreported)}”`,
			reason: 'archived in Trello'
		});
	}
	const columns = lists
		.filter((l) => open.has(text(l.id)))
		.map((list) => ({
			id: text(list.id),
			title: cleanTitle(list.name, 'Untitled list', { skipped, of: (t) => `of list “${t}”` }),
			cards: [] as ImportCard[]
		}));
	const columnById = new Map(columns.map((c) => [c.id, c]));

	/** Card ids met so far: checklists and comments name their card by id. */
	const cardIds = new Set<string>();
	for (const card of objects(input.cards).sort(byPosition)) {
		const column = columnById.get(text(card.idList));
		if (!column) {
			const title = cleanTitle(card.name, 'Untitled card', unreported);
			skipped.push({ what: `Card “${title}”`, reason: 'its list is archived or missing' });
			continue;
		}
		const title = cleanTitle(card.name, 'Untitled card', { skipped, of: (t) => `of “${t}”` });
		const id = text(card.id);
		// A hand-edited file: checklists and comments name their card by id, so the second card
		// under one id would get the first one's too. It comes without them, reported.
		const repeated = id !== '' && cardIds.has(id);
		if (repeated) {
			skipped.push({
				what: `The checklist and comments of “${title}”`,
				reason: 'another card of the file has its id; they went to that one'
			});
		}
		cardIds.add(id);
		const own = repeated
			? { checklists: new Map(), comments: new Map() }
			: { checklists, comments };
		column.cards.push(trelloCard(card, title, { labelNames, people, ...own }, skipped));
	}
	return {
		title: cleanTitle(input.name, 'Imported from Trello', { skipped, of: () => 'of the board' }),
		columns: columns.map(({ title, cards }) => ({ title, category: guessCategory(title), cards })),
		labelColors,
		skipped
	};
}

interface Lookups {
	labelNames: Map<string, string>;
	people: Map<string, ImportPerson>;
	checklists: Map<string, Json[]>;
	comments: Map<string, ImportComment[]>;
}

function trelloCard(
	card: Json,
	title: string,
	lookups: Lookups,
	skipped: SkippedItem[]
): ImportCard {
	const id = text(card.id);
	const ids = Array.isArray(card.idLabels) ? card.idLabels.map(text) : [];
	const cleaned = cleanLabels(ids.flatMap((l) => lookups.labelNames.get(l) ?? []));
	reportLabels(cleaned, `of “${title}”`, skipped);
	const { labels } = cleaned;

	const members = Array.isArray(card.idMembers) ? card.idMembers.map(text) : [];
	if (members.length > 1)
		skipped.push({
			what: `Members of “${title}” after the first`,
			reason: 'a card has one assignee'
		});

	let description = cleanText(text(card.desc), noCut);
	if (description.length > maxDescriptionLength) {
		description = cleanText(description, maxDescriptionLength);
		skipped.push({
			what: `The end of the description of “${title}”`,
			reason: `longer than ${maxDescriptionLength} characters`
		});
	}

	const lists = lookups.checklists.get(id) ?? [];
	const items = lists.flatMap((list) =>
		objects(list.checkItems)
			.sort(byPosition)
			.map((item) => {
				const name = oneLine(text(item.name));
				return {
					// Several Trello checklists become one; each item keeps its list's name. An item
					// with nothing visible stays blank (so it is left out and reported), list name or not.
					text:
						lists.length > 1 && hasVisibleText(name)
							? `${oneLine(text(list.name))}: ${name}`
							: name,
					done: item.state === 'complete'
				};
			})
	);
	return {
		title,
		description,
		dueDate: dayOf(card.due),
		labels,
		priority: 'medium',
		assignee: members[0] ? (lookups.people.get(members[0]) ?? null) : null,
		deleted: card.closed === true,
		checklist: cleanChecklist(items, title, skipped),
		comments: lookups.comments.get(id) ?? []
	};
}
