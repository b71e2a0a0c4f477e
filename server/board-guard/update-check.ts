/**
 * Checks an incoming update against the board document contract before it is applied, without
 * applying it: each new struct's place (which map and key, or which text or array) is found from
 * its parent or neighbour, in the update itself or by one binary search in the document's store,
 * and each deletion is looked up the same way. The work is proportional to the update (plus a
 * logarithm of the board), never to the board. Run `checkUpdateShape` first: it makes decoding
 * safe.
 */
import * as Y from 'yjs';
import { maxLabelColors } from '#lib/domain/board/label-colors.ts';
import {
	isChecklistKey,
	isItemId,
	maxChecklistItems,
	maxDescriptionLength,
	maxLabels
} from '#lib/domain/board/schema.ts';
import {
	boardRules,
	checklistItemRules,
	columnRules,
	labelColorRule,
	labelProblem,
	taskRules,
	type Incoming,
	type Rule
} from './field-rules.ts';
import { RefusedUpdate } from './refusal.ts';
import { decodeUpdateOnce } from '../decoded-update.ts';

export interface BoardLimits {
	/** Card entries a board may hold (deleted cards count: deletion is soft). */
	maxCards: number;
	/** Column entries a board may hold. */
	maxColumns: number;
}

/** What a shared type is in a board: the three maps, and what lives in them. */
type Kind =
	| 'board'
	| 'columns'
	| 'tasks'
	| 'labelColors'
	| 'column'
	| 'task'
	| 'description'
	| 'labels'
	| 'checklistItem';

/** One shared type: its kind (null: a type a board does not have) and a key naming it. */
interface Container {
	kind: Kind | null;
	key: string;
	/** The live type, when it is already in the document. */
	type: Shared | null;
	/**
	 * Set for a type the document has removed and garbage-collected (a checklist item someone
	 * removed while another ticked it): Yjs discards what is written into it, so it is allowed.
	 */
	gone?: true;
}

/** Where a struct goes: into which container, under which map key (null in texts/arrays). */
interface Place {
	container: Container;
	sub: string | null;
}

type Id = { client: number; clock: number };
/** A shared type of any kind, as Yjs's own functions take it. */
type Shared = Parameters<typeof Y.findRootTypeKey>[0];

const roots = new Set<Kind>(['board', 'columns', 'tasks', 'labelColors']);
const fieldRules: Partial<Record<Kind, Record<string, Rule>>> = {
	column: columnRules,
	task: taskRules,
	checklistItem: checklistItemRules
};
/** A board may carry extra plain keys (readers ignore them), but no shared types there. */
const extraBoardKey: Rule = (value) => ('plain' in value ? null : 'must be a plain value');
const maxLabelEntries = maxLabels * 2; // concurrent adds of one label store it twice
const maxKeyLength = 255;
/** Card keys written once, when the card is made. */
const fixedTaskFields = new Set(['id', 'createdBy', 'createdAt']);

/** Whether `sub` is an entry of `map` now (a removed entry stays in `_map`, marked deleted). */
function holds(map: Shared | null, sub: string): boolean {
	const item = (map as Y.Map<unknown> | null)?._map.get(sub);
	return item !== undefined && !item.deleted;
}

/** A card's description is three shared types below the root; anything deeper is refused. */
const maxTypeDepth = 4;

function quote(key: string): string {
	return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function idKey(id: Id): string {
	return `${id.client}:${id.clock}`;
}

function childKind(parent: Kind | null, sub: string | null, type: unknown): Kind | null {
	if (parent === 'tasks' && sub !== null && type instanceof Y.Map) return 'task';
	if (parent === 'columns' && sub !== null && type instanceof Y.Map) return 'column';
	if (parent === 'task' && sub === 'description' && type instanceof Y.Text) return 'description';
	if (parent === 'task' && sub === 'labels' && type instanceof Y.Array) return 'labels';
	if (parent === 'task' && sub !== null && isChecklistKey(sub) && type instanceof Y.Map) {
		return 'checklistItem';
	}
	return null;
}

function incomingOf(content: Y.Item['content']): Incoming | null {
	if (content instanceof Y.ContentAny)
		return content.arr.length === 1 ? { plain: content.arr[0] } : null;
	if (content instanceof Y.ContentType) {
		const type = content.type;
		if (type instanceof Y.Map) return { type: 'map' };
		if (type instanceof Y.Text) return { type: 'text' };
		if (type instanceof Y.Array) return { type: 'array' };
	}
	return null;
}

/** Content an update may write into removed structures (edits racing a removal). */
const maxDiscardedBytes = 64 * 1024;

/** About how many bytes a struct's content carries. */
function contentSize(content: Y.Item['content']): number {
	if (content instanceof Y.ContentString) return content.str.length;
	if (content instanceof Y.ContentBinary) return content.content.byteLength;
	if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
		return JSON.stringify(content.getContent()).length;
	}
	if (content instanceof Y.ContentEmbed || content instanceof Y.ContentFormat) {
		return JSON.stringify(content.getContent()).length;
	}
	return 1;
}

export class BoardUpdateCheck {
	readonly #doc: Y.Doc;
	readonly #limits: BoardLimits;
	// Weak: types replaced or unloaded with their document must not be kept alive here.
	readonly #docContainers = new WeakMap<Shared, Container>();

	constructor(doc: Y.Doc, limits: BoardLimits) {
		this.#doc = doc;
		this.#limits = limits;
	}

	/** The container of a type already in the document (walks up a bounded number of levels). */
	#docContainer(type: Shared, depth = 0): Container {
		const known = this.#docContainers.get(type);
		if (known) return known;
		let container: Container;
		const item = type._item;
		if (depth > maxTypeDepth) {
			// Deeper than any board type (a document written before these checks): not a container.
			container = { kind: null, key: item ? idKey(item.id) : 'root:?', type };
		} else if (item === null) {
			const name = Y.findRootTypeKey(type);
			container = {
				kind: roots.has(name as Kind) ? (name as Kind) : null,
				key: `root:${name}`,
				type
			};
		} else {
			const parent = item.parent as Shared;
			const outer = this.#docContainer(parent, depth + 1);
			container = { kind: childKind(outer.kind, item.parentSub, type), key: idKey(item.id), type };
		}
		this.#docContainers.set(type, container);
		return container;
	}

	/** A top-level type by name, without creating it in the document when it is not there. */
	#rootContainer(name: string): Container {
		const type = this.#doc.share.get(name);
		if (type) return this.#docContainer(type);
		return {
			kind: roots.has(name as Kind) ? (name as Kind) : null,
			key: `root:${name}`,
			type: null
		};
	}

	/** Throws `RefusedUpdate` when applying `update` would break the board document contract. */
	check(update: Uint8Array): void {
		const doc = this.#doc;
		const store = doc.store;
		const { structs, ds } = decodeUpdateOnce(update);
		const state = (client: number) => Y.getState(store, client);

		// The update's own items, per client in clock order, for lookups by id.
		const own = new Map<number, Y.Item[]>();
		for (const struct of structs) {
			if (!(struct instanceof Y.Item)) continue;
			let list = own.get(struct.id.client);
			if (!list) own.set(struct.id.client, (list = []));
			list.push(struct);
		}
		const findOwn = (id: Id): Y.Item | null => {
			const list = own.get(id.client);
			if (!list) return null;
			let low = 0;
			let high = list.length - 1;
			while (low <= high) {
				const middle = (low + high) >> 1;
				const item = list[middle]!;
				if (id.clock < item.id.clock) high = middle - 1;
				else if (id.clock >= item.id.clock + item.length) low = middle + 1;
				else return item;
			}
			return null;
		};
		const findStructInDoc = (id: Id): Y.Item | Y.GC | null => {
			if (id.clock >= state(id.client)) return null;
			const found = store.clients.get(id.client)![
				Y.findIndexSS(store.clients.get(id.client)!, id.clock)
			];
			return found instanceof Y.Item || found instanceof Y.GC ? found : null;
		};
		const gone: Container = { kind: null, key: 'gone', type: null, gone: true };

		const ownContainers = new Map<Y.Item, Container>();
		const places = new Map<Y.Item, Place>();
		const parentRoot = (item: Y.Item): string | null => {
			// Decoded updates name a top-level parent by its key.
			const parent = item.parent as unknown;
			if (typeof parent === 'string') return parent;
			return parent instanceof Y.AbstractType ? Y.findRootTypeKey(parent) : null;
		};
		/** The container a type item (in the update or the document) stands for. */
		const containerOfTypeItem = (id: Id, depth: number): Container | null => {
			const mine = findOwn(id);
			if (mine) {
				const known = ownContainers.get(mine);
				if (known) return known;
				if (depth > maxTypeDepth) {
					throw new RefusedUpdate('shared types nested deeper than a board has');
				}
				if (!(mine.content instanceof Y.ContentType)) return null;
				const place = placeOf(mine, depth + 1);
				if (place.container.gone) {
					ownContainers.set(mine, gone);
					return gone;
				}
				const container: Container = {
					kind: childKind(place.container.kind, place.sub, mine.content.type),
					key: idKey(mine.id),
					type: null
				};
				ownContainers.set(mine, container);
				return container;
			}
			const inDoc = findStructInDoc(id);
			if (!inDoc) return null;
			// A removed type: Yjs turns what is written into it into garbage (Item.getMissing).
			if (inDoc instanceof Y.GC || inDoc.content instanceof Y.ContentDeleted) return gone;
			if (!(inDoc.content instanceof Y.ContentType)) return null;
			return this.#docContainer(inDoc.content.type as Shared);
		};
		/** Where a struct goes; iterative along chains of neighbours inside the update. */
		const placeOf = (start: Y.Item, depth = 0): Place => {
			const chain = new Set<Y.Item>();
			let item: Y.Item = start;
			let place: Place;
			for (;;) {
				const known = places.get(item);
				if (known) {
					place = known;
					break;
				}
				if (item.parent !== null) {
					const name = parentRoot(item);
					const container =
						name !== null
							? this.#rootContainer(name)
							: containerOfTypeItem(item.parent as unknown as Id, depth);
					if (!container) throw new RefusedUpdate('it builds on content the server does not have');
					place = { container, sub: item.parentSub };
					places.set(item, place);
					break;
				}
				const neighbour = (item.origin ?? item.rightOrigin) as Id | null;
				if (!neighbour) throw new RefusedUpdate('an item has no parent');
				const mine = findOwn(neighbour);
				if (mine) {
					if (mine === item || chain.has(mine)) throw new RefusedUpdate('its items form a cycle');
					chain.add(item);
					item = mine;
					continue;
				}
				const inDoc = findStructInDoc(neighbour);
				if (!inDoc) throw new RefusedUpdate('it builds on content the server does not have');
				if (inDoc instanceof Y.GC) {
					// Next to garbage-collected content: Yjs discards the struct (Item.getMissing).
					place = { container: gone, sub: item.parentSub };
					places.set(item, place);
					break;
				}
				place = {
					container: this.#docContainer(inDoc.parent as Shared),
					sub: inDoc.parentSub
				};
				places.set(item, place);
				break;
			}
			for (const linked of chain) places.set(linked, place);
			return place;
		};

		const newKeys = { tasks: new Set<string>(), columns: new Set<string>() };
		const written = new Set<string>();
		const textGrowth = new Map<string, { container: Container; delta: number }>();
		const grow = (container: Container, delta: number) => {
			const entry = textGrowth.get(container.key) ?? { container, delta: 0 };
			entry.delta += delta;
			textGrowth.set(container.key, entry);
		};
		const fieldsOfNew = new Map<string, { kind: Kind; keys: Set<string> }>();
		/** Checklist items and label colours the update adds, per card / for the board. */
		const newItems = new Map<string, { container: Container; keys: Set<string> }>();
		const newColors = new Set<string>();
		/** Columns the update's placements name. */
		const placedIn = new Set<string>();

		let discarded = 0;
		for (const struct of structs) {
			if (!(struct instanceof Y.Item)) continue;
			// Structs the document already holds are skipped by Yjs too.
			if (struct.id.clock + struct.length <= state(struct.id.client)) continue;
			const { container, sub } = placeOf(struct);
			const deleted = struct.content instanceof Y.ContentDeleted;
			if (container.gone) {
				// Yjs discards it (as garbage, which is what is logged and broadcast), but decodes
				// and walks all of it first: an edit racing a removal is small, so more than
				// `maxDiscardedBytes` is refused rather than taken unchecked.
				discarded += contentSize(struct.content);
				if (discarded > maxDiscardedBytes) {
					throw new RefusedUpdate('it writes too much into content that was removed');
				}
				continue;
			}
			if (container.kind === null)
				throw new RefusedUpdate('it writes into a type a board does not have');
			const kind = container.kind;
			if (kind === 'description' || kind === 'labels') {
				if (sub !== null) throw new RefusedUpdate(`the ${kind} takes no keys`);
				if (deleted) continue;
				if (kind === 'description') {
					if (!(struct.content instanceof Y.ContentString)) {
						throw new RefusedUpdate('a description holds text only');
					}
					if (struct.content.str.includes('\u0000')) {
						throw new RefusedUpdate('a description cannot contain NUL');
					}
					grow(container, struct.length);
				} else {
					if (!(struct.content instanceof Y.ContentAny))
						throw new RefusedUpdate('labels are strings');
					for (const label of struct.content.arr) {
						const problem = labelProblem(label);
						if (problem) throw new RefusedUpdate(problem);
					}
					grow(container, struct.length);
				}
				continue;
			}
			if (sub === null) throw new RefusedUpdate(`the ${kind} map takes only keyed entries`);
			if (sub.length > maxKeyLength)
				throw new RefusedUpdate(`a key is longer than ${maxKeyLength}`);
			if (deleted) continue;
			written.add(`${container.key}\u0000${sub}`);
			const value = incomingOf(struct.content);
			if (!value) throw new RefusedUpdate(`${quote(sub)} holds content of the wrong kind`);
			if (kind === 'labelColors') {
				const problem = labelProblem(sub) ?? labelColorRule(value);
				if (problem || sub !== sub.trim()) {
					throw new RefusedUpdate(`label colour ${quote(sub)} ${problem ?? 'has spaces'}`);
				}
				if (!holds(container.type, sub)) newColors.add(sub);
				continue;
			}
			if (kind === 'task' && isChecklistKey(sub)) {
				if (!('type' in value) || value.type !== 'map') {
					throw new RefusedUpdate('a checklist item must be a Y.Map');
				}
				if (!holds(container.type, sub)) {
					const entry = newItems.get(container.key) ?? { container, keys: new Set<string>() };
					entry.keys.add(sub);
					newItems.set(container.key, entry);
				}
				fieldsOfNew.set(idKey(struct.id), { kind: 'checklistItem', keys: new Set() });
				continue;
			}
			if (kind === 'tasks' || kind === 'columns') {
				if (!('type' in value) || value.type !== 'map') {
					throw new RefusedUpdate(`a ${kind === 'tasks' ? 'card' : 'column'} must be a Y.Map`);
				}
				const map = container.type as Y.Map<unknown> | null;
				if (!map?._map.has(sub)) {
					if (!isItemId(sub)) {
						throw new RefusedUpdate(
							`a new ${kind === 'tasks' ? 'card' : 'column'}'s key must be a lower-case UUID`
						);
					}
					newKeys[kind].add(sub);
				}
				fieldsOfNew.set(idKey(struct.id), {
					kind: kind === 'tasks' ? 'task' : 'column',
					keys: new Set()
				});
				continue;
			}
			const rule = kind === 'board' ? (boardRules[sub] ?? extraBoardKey) : fieldRules[kind]![sub];
			if (!rule) throw new RefusedUpdate(`a ${kind} has no field ${quote(sub)}`);
			const problem = rule(value);
			if (problem) throw new RefusedUpdate(`${kind} ${quote(sub)} ${problem}`);
			// Who made a card and when are facts, not fields: the operations write them once, at
			// creation (an editor could otherwise credit any card to anyone, as REST never allows).
			if (
				kind === 'task' &&
				fixedTaskFields.has(sub) &&
				holds(container.type, sub) &&
				'plain' in value &&
				(container.type as Y.Map<unknown>).get(sub) !== value.plain
			) {
				throw new RefusedUpdate(`a card's ${quote(sub)} cannot change`);
			}
			if (kind === 'task' && sub === 'placement' && 'plain' in value) {
				placedIn.add((value.plain as { columnId: string }).columnId);
			}
			fieldsOfNew.get(container.key)?.keys.add(sub);
		}

		// A placement names a column: one the board has, one this update adds, or a UUID, which
		// may name a column still on its way (an update can arrive before the one creating its
		// column: tabs sharing updates, a provider flushing its queue before its sync reply).
		// Readers tolerate a card whose column is missing; `nope` could never become a column.
		const columnKeys = (doc.getMap('columns') as Y.Map<unknown>)._map;
		for (const columnId of placedIn) {
			if (!isItemId(columnId) && !columnKeys.has(columnId) && !newKeys.columns.has(columnId)) {
				throw new RefusedUpdate(
					`a card is placed in column ${quote(columnId)}, which is no column id`
				);
			}
		}

		// New cards and columns are written complete, in one transaction (invariant 2).
		for (const { kind, keys } of fieldsOfNew.values()) {
			for (const field of Object.keys(fieldRules[kind]!)) {
				if (!keys.has(field)) throw new RefusedUpdate(`a new ${kind} lacks ${quote(field)}`);
			}
		}

		const required = new Map<string, Container>();
		/** Shared types this update removes: their fields go with them. */
		const removedTypes = new Set<unknown>();
		for (const [client, deletions] of ds.clients) {
			const list = store.clients.get(client);
			const have = state(client);
			for (const { clock, len } of deletions) {
				const end = Math.min(clock + len, have);
				if (!list || clock >= end) continue;
				for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
					const struct = list[i]!;
					if (struct.id.clock >= end) break;
					if (!(struct instanceof Y.Item) || struct.deleted) continue;
					if (struct.content instanceof Y.ContentType) removedTypes.add(struct.content.type);
					const container = this.#docContainer(struct.parent as Shared);
					const sub = struct.parentSub;
					if (container.kind === 'description' || container.kind === 'labels') {
						if (struct.countable) grow(container, -struct.length);
						continue;
					}
					if (sub === null || container.kind === null) continue;
					const current = (container.type as Y.Map<unknown>)._map.get(sub) === struct;
					if (!current) continue;
					if (container.kind === 'tasks' || container.kind === 'columns') {
						throw new RefusedUpdate(
							`it removes ${container.kind === 'tasks' ? 'a card' : 'a column'} (deletion is soft)`
						);
					}
					if (container.kind === 'board' && !(sub in boardRules)) continue;
					// Checklist items and label colours are removed outright.
					if (container.kind === 'task' && isChecklistKey(sub)) continue;
					if (container.kind === 'labelColors') continue;
					required.set(`${container.key}\u0000${sub}`, container);
				}
			}
		}
		for (const [key, container] of required) {
			if (!written.has(key) && !removedTypes.has(container.type)) {
				throw new RefusedUpdate(`it removes the required field ${quote(key.split('\u0000')[1]!)}`);
			}
		}

		for (const { container, delta } of textGrowth.values()) {
			const length = (container.type?._length ?? 0) + delta;
			if (container.kind === 'description' && length > maxDescriptionLength) {
				throw new RefusedUpdate(`a description is longer than ${maxDescriptionLength} characters`);
			}
			if (container.kind === 'labels' && length > maxLabelEntries) {
				throw new RefusedUpdate(`a card has more than ${maxLabelEntries} label entries`);
			}
		}
		for (const { container, keys } of newItems.values()) {
			// Costs the card's own keys, only for cards the update adds items to.
			let count = keys.size;
			for (const [key, item] of (container.type as Y.Map<unknown> | null)?._map ?? []) {
				if (!item.deleted && isChecklistKey(key)) count++;
			}
			// Twice the limit: honest clients stop at it, but two of them adding at once, or one
			// offline removing one and adding one, may pass it; readers show the first ones only.
			if (count > 2 * maxChecklistItems) {
				throw new RefusedUpdate(`a checklist holds at most ${maxChecklistItems} items`);
			}
		}
		if (newColors.size > 0) {
			const colors = this.#doc.share.get('labelColors') as Y.Map<unknown> | undefined;
			let count = newColors.size;
			for (const item of colors?._map.values() ?? []) if (!item.deleted) count++;
			if (count > 2 * maxLabelColors) {
				throw new RefusedUpdate(`a board colours at most ${maxLabelColors} labels`);
			}
		}
		const cards = (doc.getMap('tasks') as Y.Map<unknown>)._map.size + newKeys.tasks.size;
		if (newKeys.tasks.size > 0 && cards > this.#limits.maxCards) {
			throw new RefusedUpdate(`a board holds at most ${this.#limits.maxCards} cards`);
		}
		const columns = (doc.getMap('columns') as Y.Map<unknown>)._map.size + newKeys.columns.size;
		if (newKeys.columns.size > 0 && columns > this.#limits.maxColumns) {
			throw new RefusedUpdate(`a board holds at most ${this.#limits.maxColumns} columns`);
		}
	}
}
