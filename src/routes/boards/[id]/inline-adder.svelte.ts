import { tick } from 'svelte';
import type { Outcome } from '$lib/collab/board-state.svelte';

/**
 * The open/typing/submit/cancel cycle shared by the "add a card" and "add a column" forms: the
 * form stays open after an add (people add several in a row) and focus returns to the opener
 * when it closes.
 */
export class InlineAdder<T = unknown> {
	adding = $state(false);
	title = $state('');
	error = $state<string | null>(null);
	input = $state<HTMLInputElement>();
	opener = $state<HTMLButtonElement>();
	readonly #add: (title: string) => Outcome<T>;
	readonly #added: (title: string, value: T) => void;
	readonly #reveal: ScrollIntoViewOptions;

	constructor(options: {
		add: (title: string) => Outcome<T>;
		/** Called after an add with the trimmed title and what the add returned (e.g. an id). */
		added: (title: string, value: T) => void;
		/** How to bring the input back into view after an add. */
		reveal: ScrollIntoViewOptions;
	}) {
		this.#add = options.add;
		this.#added = options.added;
		this.#reveal = options.reveal;
	}

	start = async () => {
		this.adding = true;
		await tick();
		this.input?.focus();
	};

	stop = async () => {
		this.adding = false;
		this.title = '';
		this.error = null;
		await tick();
		this.opener?.focus();
	};

	submit = (event: SubmitEvent) => {
		event.preventDefault();
		const outcome = this.#add(this.title);
		if (!outcome.ok) {
			this.error = outcome.error.message;
			return;
		}
		this.#added(this.title.trim(), outcome.value);
		this.title = '';
		this.error = null;
		void tick().then(() => this.input?.scrollIntoView(this.#reveal));
	};

	keydown = (event: KeyboardEvent) => {
		if (event.key !== 'Escape') return;
		event.preventDefault();
		void this.stop();
	};

	clearError = () => {
		this.error = null;
	};
}
