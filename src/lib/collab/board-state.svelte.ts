import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
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
} from '../domain/board/index.ts';
import {
	addChecklistItem,
	moveChecklistItem,
	removeChecklistItem,
	setChecklistItemText,
	toggleChecklistItem,
	type AddChecklistItemInput,
	type MoveChecklistItemInput
} from '../domain/board/checklist.ts';
import { setLabelColor, type LabelColor } from '../domain/board/label-colors.ts';
import { BoardPresence, type PresenceUser } from './board-presence.svelte';
import { BoardLink } from './board-link.svelte';
import { BoardLocalStore } from './board-local-store.svelte';
import { BoardUndo } from './board-undo.svelte';
import { LocalOrigin } from './local-origin';
import { readBoardNews, type CommentNews } from '../collab-protocol/board-news.ts';
import { boardDocumentPath } from '../collab-protocol/document-transfer.ts';

/**
 * Why an edit was refused: a DomainError, the board being read-only for this user, or the
 * document not being in yet.
 */
export interface OpFailure {
	code: DomainErrorCode | 'read_only' | 'loading';
	message: string;
	/** The input the message belongs next to, or null for the edit as a whole. */
	field: string | null;
}

export type Outcome<T = void> = { ok: true; value: T } | { ok: false; error: OpFailure };

export interface BoardStateOptions {
	boardId: string;
	/**
	 * What `view` returns until the stored document is in (the server's first-screen preview),
	 * or null to show the empty document meanwhile.
	 */
	preview: BoardView | null;
	me: PresenceUser;
	/** Read at every edit, so people invited meanwhile can be assigned at once. */
	memberIds: () => ReadonlySet<string>;
	/** Whether the page load found the user allowed to edit. */
	canEdit: () => boolean;
	/** False during server rendering: render the preview, fetch nothing, open no socket. */
	connect: boolean;
}

const readOnlyFailure: OpFailure = {
	code: 'read_only',
	message: 'You can view this board but not change it.',
	field: null
};

/** How long a fetched board waits for its socket to open before it is shown regardless. */
const socketWait = 1500;

const loadingFailure: OpFailure = {
	code: 'loading',
	message: 'The board is still loading; try again in a moment.',
	field: null
};

/**
 * One board as reactive state: its Y.Doc, the live connection and presence. `view` is read
 * from the document on demand (never copied into $state), and every edit goes through the
 * domain operations with the current user and the board's members.
 *
 * In the browser it first fetches the stored document and applies it, and only then opens the
 * live connection: the provider's first sync then sends the seeded state vector, so the
 * server answers with just what changed since. Until the document is in, `view` is the
 * preview and edits are refused (`loading`). When the download fails (offline) the copy kept
 * in IndexedDB (`local`) is the board; otherwise that copy is opened once the board shows.
 */
export class BoardState {
	readonly boardId: string;
	readonly doc = new Y.Doc();
	readonly presence: BoardPresence;
	readonly link: BoardLink;
	/** The copy kept in this browser, and what changed here that the server has not got yet. */
	readonly local: BoardLocalStore;
	/** Undo and redo of this user's own changes (never anyone else's). */
	readonly undo: BoardUndo;
	/** Marks this tab's operations, so that undo tracks them and nothing else. */
	readonly #origin = new LocalOrigin('board');
	readonly #options: BoardStateOptions;
	readonly #subscribeDoc: () => void;
	// Plain: listeners are wiring, never rendered.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #eventListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #memberListeners = new Set<() => void>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #commentListeners = new Set<(news: CommentNews | null) => void>();
	/** Whether the document holds the stored board (fetched, or brought by the first sync). */
	#loaded = false;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #loadedListeners = new Set<() => void>();
	readonly #subscribeLoaded: () => void;
	#destroyed = false;
	/** Leaving the page stops a document download (up to megabytes) that nobody will use. */
	readonly #fetching = new AbortController();

	constructor(options: BoardStateOptions) {
		this.boardId = options.boardId;
		this.#options = options;
		this.#subscribeDoc = createSubscriber((update) => {
			this.doc.on('update', update);
			return () => this.doc.off('update', update);
		});
		this.#subscribeLoaded = createSubscriber((update) => {
			this.#loadedListeners.add(update);
			return () => this.#loadedListeners.delete(update);
		});
		this.presence = new BoardPresence(options.me);
		this.link = new BoardLink();
		this.local = new BoardLocalStore({
			doc: this.doc,
			userId: options.me.id,
			boardId: this.boardId,
			persist: options.connect
		});
		this.undo = new BoardUndo({
			doc: this.doc,
			origin: this.#origin,
			run: (op, origin) => this.#run(op, origin),
			readOnly: () => this.readOnly
		});
		// Started during the page's first script, so the download overlaps hydration; a microtask
		// later, so that the page's preload link is in the head first and the browser hands this
		// request the preloaded answer (on a client-side navigation the link is inserted by the
		// same render that builds this state: fetching at once would download the board twice).
		if (options.connect) queueMicrotask(() => void this.#seedThenConnect());
	}

	async #seedThenConnect(): Promise<void> {
		const fetched = await this.#fetchDocument();
		// Offline, the copy kept here (a board opened before) is the board. Online it is opened
		// once the board shows: reading a big copy is a long task, and any offline edits it holds
		// reach the server as updates just the same.
		const local = fetched ? false : await this.local.load();
		if (this.#destroyed) return;
		const provider = this.#connect();
		// Otherwise the first sync ends the loading (see #connect).
		if (fetched || local) this.#markLoadedOnceSyncStarts(provider);
		if (!local) this.#whenLoaded(() => void this.local.load());
	}

	#whenLoaded(then: () => void): void {
		const idle = () =>
			'requestIdleCallback' in globalThis ? requestIdleCallback(then, { timeout: 2000 }) : then();
		if (this.#loaded) return void idle();
		const listener = () => {
			this.#loadedListeners.delete(listener);
			idle();
		};
		this.#loadedListeners.add(listener);
	}

	async #fetchDocument(): Promise<boolean> {
		try {
			const response = await fetch(location.origin + boardDocumentPath(this.boardId), {
				signal: this.#fetching.signal
			});
			if (response.ok) {
				const update = new Uint8Array(await response.arrayBuffer());
				if (this.#destroyed) return false;
				if (update.byteLength > 0) {
					Y.applyUpdate(this.doc, update);
					this.local.seed(update, Y.encodeStateVector(this.doc));
				}
				return true;
			}
		} catch {
			// Offline, or an update that does not decode: the live sync brings the whole document.
		}
		return false;
	}

	/**
	 * Showing the whole board is one long task on a big board. Started at once, it would hold
	 * back the socket's open event, and with it the server's loading of the board, until it
	 * ended; started once the socket has opened (and the provider has sent its token and sync
	 * step 1 in that event's microtasks), the two overlap. A socket that fails to open ends the
	 * wait too: the fetched document can be edited offline.
	 */
	#markLoadedOnceSyncStarts(provider: HocuspocusProvider): void {
		const socket = provider.configuration.websocketProvider;
		const done = () => {
			socket.off('status', onStatus);
			clearTimeout(timer);
			setTimeout(() => this.#markLoaded());
		};
		const onStatus = ({ status }: { status: WebSocketStatus }) => {
			if (status !== WebSocketStatus.Connecting) done();
		};
		socket.on('status', onStatus);
		// A socket can also hang while connecting (a proxy that swallows the upgrade); the
		// document is in, so the board is shown and editable offline after a moment anyway.
		const timer = setTimeout(done, socketWait);
	}

	#markLoaded(): void {
		if (this.#loaded) return;
		this.#loaded = true;
		this.#announce(this.#loadedListeners);
	}

	#connect(): HocuspocusProvider {
		const provider = new HocuspocusProvider({
			url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`,
			name: `board:${this.boardId}`,
			document: this.doc
		});
		this.link.attach(provider);
		this.local.attach(provider);
		provider.on('stateless', ({ payload }: { payload: string }) => {
			const news = readBoardNews(payload);
			if (news.events) this.#announce(this.#eventListeners);
			if (news.members) this.#announce(this.#memberListeners);
			if (Object.keys(news.comments).length > 0) this.#announceComments(news.comments);
		});
		// Announcements sent while the socket was down are lost; catch up on every sync. The
		// first one too: the page load read the members before the document was fetched and the
		// socket opened, and someone added meanwhile was announced to nobody here.
		provider.on('synced', ({ state }: { state: boolean }) => {
			if (!state) return;
			// When the fetch failed, the first sync is what brought the document.
			this.#markLoaded();
			this.#announce(this.#eventListeners);
			this.#announce(this.#memberListeners);
			this.#announceComments(null);
		});
		if (provider.awareness) this.presence.attach(provider.awareness);
		return provider;
	}

	/**
	 * True until the document holds the stored board: `view` is the preview meanwhile, and
	 * edits are refused so that none is made against a partial board.
	 */
	get loading(): boolean {
		this.#subscribeLoaded();
		return !this.#loaded;
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

	/**
	 * Like `onEvents`, for comments: the cards whose comments changed and their counts, or
	 * null after a resync (anything may have changed while the socket was down).
	 */
	onComments(listener: (news: CommentNews | null) => void): () => void {
		this.#commentListeners.add(listener);
		return () => this.#commentListeners.delete(listener);
	}

	#announceComments(news: CommentNews | null): void {
		for (const listener of this.#commentListeners) listener(news);
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
		if (this.loading && this.#options.preview) return this.#options.preview;
		this.#subscribeDoc();
		return liveBoardView(this.doc);
	}

	/**
	 * True for viewers, non-member admins, archived boards and refused connections. The page
	 * load's rights until the server has admitted the connection, then the server's: a viewer
	 * promoted while the page was open stayed read-only until a reload, since the page's own
	 * data said so (the server is never less strict than the load, which it re-checks).
	 */
	get readOnly(): boolean {
		const writable = this.link.writable;
		return writable === null ? !this.#options.canEdit() : !writable;
	}

	#run<T>(op: (doc: Y.Doc, ctx: OpContext) => T, origin?: unknown): Outcome<T> {
		if (this.readOnly) return { ok: false, error: readOnlyFailure };
		if (this.loading) return { ok: false, error: loadingFailure };
		const ctx: OpContext = {
			actorId: this.#options.me.id,
			memberIds: this.#options.memberIds(),
			origin: origin ?? this.#origin
		};
		try {
			return { ok: true, value: op(this.doc, ctx) };
		} catch (error) {
			if (isDomainError(error)) return { ok: false, error };
			throw error;
		}
	}

	/**
	 * Runs several operations as one change: one transaction, so one undo step and one update
	 * sent. A column's settings saved at once were three steps to undo.
	 */
	together<T>(operations: () => T): T {
		return this.doc.transact(operations, this.#origin);
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

	addChecklistItem(input: AddChecklistItemInput): Outcome<string> {
		return this.#run((doc, ctx) => addChecklistItem(doc, input, ctx));
	}

	setChecklistItemText(taskId: string, itemId: string, text: string): Outcome {
		return this.#run((doc, ctx) => setChecklistItemText(doc, { taskId, itemId, text }, ctx));
	}

	toggleChecklistItem(taskId: string, itemId: string, done: boolean): Outcome {
		return this.#run((doc, ctx) => toggleChecklistItem(doc, { taskId, itemId, done }, ctx));
	}

	moveChecklistItem(input: MoveChecklistItemInput): Outcome {
		return this.#run((doc, ctx) => moveChecklistItem(doc, input, ctx));
	}

	removeChecklistItem(taskId: string, itemId: string): Outcome {
		return this.#run((doc, ctx) => removeChecklistItem(doc, { taskId, itemId }, ctx));
	}

	setLabelColor(label: string, color: LabelColor | null): Outcome {
		return this.#run((doc, ctx) => setLabelColor(doc, { label, color }, ctx));
	}

	destroy(): void {
		this.#destroyed = true;
		this.#fetching.abort();
		this.undo.destroy();
		this.presence.destroy();
		this.link.destroy();
		this.local.destroy();
		this.doc.destroy();
	}
}

/**
 * The board page builds one BoardState and hands it down through context, so nested components
 * never open a second connection to the same board.
 */
export const [getBoardState, setBoardState] = createContext<BoardState>();
