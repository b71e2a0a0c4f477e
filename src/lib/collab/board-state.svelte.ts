import { HocuspocusProvider } from '@hocuspocus/provider';
import { createContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
	createColumn,
	createTask,
	deleteColumn,
	deleteTask,
	editDescription,
	isDomainError,
	liveBoardView,
	moveColumn,
	moveTask,
	renameColumn,
	restoreTask,
	setColumnCategory,
	setDescription,
	setWipLimit,
	updateTask,
	type BoardView,
	type ColumnCategory,
	type CreateColumnInput,
	type CreateTaskInput,
	type DeleteColumnInput,
	type DomainErrorCode,
	type EditDescriptionInput,
	type MoveColumnInput,
	type MoveTaskInput,
	type OpContext,
	type UpdateTaskInput
} from '$lib/domain/board';
import { BoardPresence, type PresenceUser } from './board-presence.svelte';
import { BoardLink } from './board-link.svelte';
import { readBoardNews } from '$lib/collab-protocol/board-news';

/** Why an edit was refused: a DomainError, or the board being read-only for this user. */
export interface OpFailure {
	code: DomainErrorCode | 'read_only';
	message: string;
	/** The input the message belongs next to, or null for the edit as a whole. */
	field: string | null;
}

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; error: OpFailure };

export interface BoardStateOptions {
	boardId: string;
	/** The stored document as one base64 Yjs update, or null for a board never stored. */
	initialUpdate: string | null;
	me: PresenceUser;
	/** Read at every edit, so people invited meanwhile can be assigned at once. */
	memberIds: () => ReadonlySet<string>;
	/** Whether the page load found the user allowed to edit. */
	canEdit: () => boolean;
	/** False during server rendering: render the stored state, open no socket. */
	connect: boolean;
}

const readOnlyFailure: OpFailure = {
	code: 'read_only',
	message: 'You can view this board but not change it.',
	field: null
};

function fromBase64(text: string): Uint8Array {
	const binary = atob(text);
	const bytes = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/**
 * One board as reactive state: its Y.Doc, the live connection and presence. `view` is read
 * from the document on demand (never copied into $state), and every edit goes through the
 * domain operations with the current user and the board's members.
 */
export class BoardState {
	readonly boardId: string;
	readonly doc = new Y.Doc();
	readonly presence: BoardPresence;
	readonly link: BoardLink;
	readonly #options: BoardStateOptions;
	readonly #subscribeDoc: () => void;
	// Plain: listeners are wiring, never rendered.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #eventListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #memberListeners = new Set<() => void>();

	constructor(options: BoardStateOptions) {
		this.boardId = options.boardId;
		this.#options = options;
		// Seeding before the provider exists means the first paint already shows the board and
		// the first sync only exchanges what changed since the page was rendered.
		if (options.initialUpdate) Y.applyUpdate(this.doc, fromBase64(options.initialUpdate));
		this.#subscribeDoc = createSubscriber((update) => {
			this.doc.on('update', update);
			return () => this.doc.off('update', update);
		});
		this.presence = new BoardPresence(options.me);
		this.link = new BoardLink();
		if (options.connect) {
			const provider = new HocuspocusProvider({
				url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`,
				name: `board:${options.boardId}`,
				document: this.doc
			});
			this.link.attach(provider);
			provider.on('stateless', ({ payload }: { payload: string }) => {
				const news = readBoardNews(payload);
				if (news.events) this.#announce(this.#eventListeners);
				if (news.members) this.#announce(this.#memberListeners);
			});
			// Announcements sent while the socket was down are lost; catch up on every resync.
			let resynced = false;
			provider.on('synced', ({ state }: { state: boolean }) => {
				if (!state) return;
				this.#announce(this.#eventListeners);
				// The page load read the members just before the first sync; later syncs catch up.
				if (resynced) this.#announce(this.#memberListeners);
				resynced = true;
			});
			if (provider.awareness) this.presence.attach(provider.awareness);
		}
	}

	/**
	 * Calls `listener` when new events of this board reached the activity log (the server says
	 * so after delivering them) and after each resync; returns a function that stops it.
	 */
	onEvents(listener: () => void): () => void {
		this.#eventListeners.add(listener);
		return () => this.#eventListeners.delete(listener);
	}

	/** Like `onEvents`, for changes of the board's members (and after each resync). */
	onMembersChanged(listener: () => void): () => void {
		this.#memberListeners.add(listener);
		return () => this.#memberListeners.delete(listener);
	}

	#announce(listeners: ReadonlySet<() => void>): void {
		for (const listener of listeners) listener();
	}

	get userId(): string {
		return this.#options.me.id;
	}

	/**
	 * The whole board as plain data, patched after every change of the document from what the
	 * change touched (live-view.ts): untouched cards and columns stay the same objects, so keyed
	 * `{#each}` blocks skip them, and a keystroke costs its card and column, not the board.
	 */
	get view(): BoardView {
		this.#subscribeDoc();
		return liveBoardView(this.doc);
	}

	/** True for viewers, non-member admins, archived boards and refused connections. */
	get readOnly(): boolean {
		return !this.#options.canEdit() || this.link.readOnly;
	}

	#run<T>(op: (doc: Y.Doc, ctx: OpContext) => T, origin?: unknown): Outcome<T> {
		if (this.readOnly) return { ok: false, error: readOnlyFailure };
		const ctx: OpContext = {
			actorId: this.#options.me.id,
			memberIds: this.#options.memberIds(),
			origin: origin ?? null
		};
		try {
			return { ok: true, value: op(this.doc, ctx) };
		} catch (error) {
			if (isDomainError(error)) return { ok: false, error };
			throw error;
		}
	}

	createTask(input: CreateTaskInput): Outcome<string> {
		return this.#run((doc, ctx) => createTask(doc, input, ctx));
	}

	updateTask(input: UpdateTaskInput): Outcome {
		return this.#run((doc, ctx) => updateTask(doc, input, ctx));
	}

	moveTask(input: MoveTaskInput): Outcome {
		return this.#run((doc, ctx) => moveTask(doc, input, ctx));
	}

	deleteTask(taskId: string): Outcome {
		return this.#run((doc, ctx) => deleteTask(doc, { taskId }, ctx));
	}

	restoreTask(taskId: string): Outcome {
		return this.#run((doc, ctx) => restoreTask(doc, { taskId }, ctx));
	}

	/** `origin` marks the transaction so the editor that made it can ignore its own echo. */
	setDescription(taskId: string, text: string, origin?: unknown): Outcome {
		return this.#run((doc, ctx) => setDescription(doc, { taskId, text }, ctx), origin);
	}

	editDescription(input: EditDescriptionInput, origin?: unknown): Outcome {
		return this.#run((doc, ctx) => editDescription(doc, input, ctx), origin);
	}

	createColumn(input: CreateColumnInput): Outcome<string> {
		return this.#run((doc, ctx) => createColumn(doc, input, ctx));
	}

	renameColumn(columnId: string, title: string): Outcome {
		return this.#run((doc, ctx) => renameColumn(doc, { columnId, title }, ctx));
	}

	setColumnCategory(columnId: string, category: ColumnCategory): Outcome {
		return this.#run((doc, ctx) => setColumnCategory(doc, { columnId, category }, ctx));
	}

	setWipLimit(columnId: string, wipLimit: number | null): Outcome {
		return this.#run((doc, ctx) => setWipLimit(doc, { columnId, wipLimit }, ctx));
	}

	moveColumn(input: MoveColumnInput): Outcome {
		return this.#run((doc, ctx) => moveColumn(doc, input, ctx));
	}

	deleteColumn(input: DeleteColumnInput): Outcome {
		return this.#run((doc, ctx) => deleteColumn(doc, input, ctx));
	}

	destroy(): void {
		this.presence.destroy();
		this.link.destroy();
		this.doc.destroy();
	}
}

/**
 * The board page builds one BoardState and hands it down through context, so nested components
 * never open a second connection to the same board.
 */
export const [getBoardState, setBoardState] = createContext<BoardState>();
