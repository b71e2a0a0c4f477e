/**
 * The "Deleted … Undo" toast after this user deletes a card. It goes away by itself after a few
 * seconds, but never while the pointer or the focus is on it: nobody loses the button they are
 * about to press.
 */
import type { DeletedCard } from '$lib/collab/board-undo.svelte';
import type { Outcome } from '$lib/collab/board-state.svelte';

export interface UndoToastOptions {
	undo: (deleted: DeletedCard) => Outcome;
	/** How long the toast stays once nobody is on it (ms). */
	duration?: number;
}

export class UndoToast {
	current = $state<DeletedCard | null>(null);
	error = $state<string | null>(null);
	readonly #options: UndoToastOptions;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** Focus and pointer hold it separately: leaving one keeps it while the other stays. */
	#holds = { focus: false, pointer: false };

	constructor(options: UndoToastOptions) {
		this.#options = options;
	}

	show(deleted: DeletedCard): void {
		this.current = deleted;
		this.error = null;
		this.#restart();
	}

	/** Focus or pointer entered (true) or left (false) the toast. */
	hold(kind: 'focus' | 'pointer', held: boolean): void {
		this.#holds[kind] = held;
		this.#restart();
	}

	undo = (): void => {
		const deleted = this.current;
		if (!deleted) return;
		const outcome = this.#options.undo(deleted);
		if (outcome.ok) this.dismiss();
		else this.error = outcome.error.message;
	};

	dismiss = (): void => {
		clearTimeout(this.#timer);
		this.current = null;
		this.error = null;
		this.#holds = { focus: false, pointer: false };
	};

	#restart(): void {
		clearTimeout(this.#timer);
		if (!this.current || this.#holds.focus || this.#holds.pointer) return;
		this.#timer = setTimeout(this.dismiss, this.#options.duration ?? 8000);
	}

	destroy(): void {
		clearTimeout(this.#timer);
	}
}
