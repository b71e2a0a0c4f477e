import { callApi } from '$lib/api/call-api';
import type { BoardVersionDto, BoardVersionPreviewDto } from '$lib/api/board-versions';

/** How many versions one "Show older" adds. */
export const versionPageSize = 20;

export interface VersionPage {
	items: BoardVersionDto[];
	nextCursor: string | null;
}

/** What the last restore did, for the status line and its "Undo restore". */
export interface RestoreOutcome {
	restored: BoardVersionDto;
	/** The state the restore replaced, saved as "Before restoring …": restoring it undoes. */
	previous: BoardVersionDto;
	/** True when this restore was itself the undo of the one before. */
	undo: boolean;
}

/**
 * A board's version history as the history page shows it: the pages read so far (newest
 * first), the version being previewed, and the outcome of naming or restoring. Every call goes
 * to the versions API, so the page and an integrator see one behaviour.
 */
export class VersionHistory {
	items = $state<BoardVersionDto[]>([]);
	nextCursor = $state<string | null>(null);
	loadingOlder = $state(false);
	listError = $state<string | null>(null);
	preview = $state<BoardVersionPreviewDto | null>(null);
	previewing = $state<string | null>(null);
	previewError = $state<string | null>(null);
	naming = $state(false);
	nameErrors = $state<Record<string, string>>({});
	nameMessage = $state<string | null>(null);
	restoring = $state(false);
	restoreError = $state<string | null>(null);
	outcome = $state<RestoreOutcome | null>(null);
	readonly #boardId: string;

	constructor(boardId: string, first: VersionPage) {
		this.#boardId = boardId;
		this.items = first.items;
		this.nextCursor = first.nextCursor;
	}

	get #url(): string {
		return `/api/v1/boards/${encodeURIComponent(this.#boardId)}/versions`;
	}

	/** Adds a version made here on top, once (a later page could hold it too). */
	#prepend(version: BoardVersionDto) {
		this.items = [version, ...this.items.filter((v) => v.id !== version.id)];
	}

	async loadOlder(): Promise<void> {
		if (!this.nextCursor || this.loadingOlder) return;
		this.loadingOlder = true;
		const cursor = encodeURIComponent(this.nextCursor);
		const result = await callApi<VersionPage>(
			`${this.#url}?limit=${versionPageSize}&cursor=${cursor}`
		);
		this.loadingOlder = false;
		if (!result.ok) return void (this.listError = result.message);
		this.listError = null;
		// A version named here since the first page may come again on an older one.
		const known = this.items.map((v) => v.id);
		this.items = [...this.items, ...result.body.items.filter((v) => !known.includes(v.id))];
		this.nextCursor = result.body.nextCursor;
	}

	/** Reads one version's board for the preview; a newer selection wins over a slower answer. */
	async select(versionId: string): Promise<boolean> {
		this.previewing = versionId;
		this.previewError = null;
		const result = await callApi<BoardVersionPreviewDto>(
			`${this.#url}/${encodeURIComponent(versionId)}`
		);
		if (this.previewing !== versionId) return false;
		this.previewing = null;
		if (!result.ok) {
			this.previewError = result.message;
			return false;
		}
		this.preview = result.body;
		return true;
	}

	closePreview() {
		this.preview = null;
		this.previewError = null;
	}

	/** Names the live state; field errors come back beside the field. */
	async name(name: string): Promise<boolean> {
		this.naming = true;
		this.nameMessage = null;
		const result = await callApi<BoardVersionDto>(this.#url, { method: 'POST', body: { name } });
		this.naming = false;
		if (!result.ok) {
			this.nameErrors = result.fields;
			if (Object.keys(result.fields).length === 0) this.nameMessage = result.message;
			return false;
		}
		this.nameErrors = {};
		this.#prepend(result.body);
		return true;
	}

	async restore(versionId: string, undo = false): Promise<boolean> {
		this.restoring = true;
		this.restoreError = null;
		const result = await callApi<{ restored: BoardVersionDto; previous: BoardVersionDto }>(
			`${this.#url}/${encodeURIComponent(versionId)}/restore`,
			{ method: 'POST' }
		);
		this.restoring = false;
		if (!result.ok) {
			this.restoreError = result.message;
			return false;
		}
		this.#prepend(result.body.previous);
		this.outcome = { ...result.body, undo };
		return true;
	}

	/** Restores the state the last restore replaced. */
	undoRestore(): Promise<boolean> {
		const outcome = this.outcome;
		if (!outcome || outcome.undo) return Promise.resolve(false);
		return this.restore(outcome.previous.id, true);
	}
}
