/**
 * A form field's draft of a value collaborators can change while the form is open (a card's
 * title, a column's settings, a checklist item). It follows the live value until the user makes
 * it differ from what was shown, and only then is it the user's to save: a form that saved
 * every field differing from the live value wrote back what it showed when it opened, undoing a
 * teammate's rename made meanwhile without a word.
 */
export class LiveDraft<T> {
	/** What the field shows and the user edits. */
	value = $state() as T;
	/** The live value as last shown; the draft is the user's once `value` differs from it. */
	#shown = $state() as T;

	constructor(live: T) {
		this.value = live;
		this.#shown = live;
	}

	/** The live value now: taken into the field unless the user has changed it. */
	follow(live: T): void {
		if (Object.is(this.value, this.#shown)) this.value = live;
		this.#shown = live;
	}

	/** Whether the user changed the field from the live value it showed. */
	get changed(): boolean {
		return !Object.is(this.value, this.#shown);
	}
}
