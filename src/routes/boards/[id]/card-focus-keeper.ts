/**
 * Keeps the keyboard on a card that a teammate's change re-renders. Svelte re-inserts a moved
 * card's element (and makes a new one when the card changes column), and the browser drops the
 * focus to the page: arrow keys, Enter, `e` and Delete stopped working for the keyboard user,
 * with nothing said. After each change of the board, a card that had the focus and lost it to
 * the page gets it back, if it is still shown. A focus the user moved themselves (a click, Tab)
 * is theirs: the keeper lets go of the card on any other focus and on any pointer press.
 */
export class CardFocusKeeper {
	#card: string | null = null;
	readonly #root: () => ParentNode | null;

	constructor(root: () => ParentNode | null) {
		this.#root = root;
	}

	/** On the window: which card (if any) has the focus now. */
	readonly focusin = (event: FocusEvent): void => {
		const target = event.target;
		this.#card = target instanceof HTMLElement ? (target.dataset.cardId ?? null) : null;
	};

	/** On the window: the user is placing the focus themselves. */
	readonly pointerdown = (): void => {
		this.#card = null;
	};

	/** After the board re-rendered: gives a card back the focus the page took from it. */
	restore(): void {
		const id = this.#card;
		if (id === null) return;
		const active = document.activeElement;
		if (active !== null && active !== document.body) return;
		const element = this.#root()?.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(id)}"]`);
		// Deleted, filtered out or scrolled out of its column's window: not chased across the board.
		if (element) element.focus({ preventScroll: true });
		else this.#card = null;
	}
}
