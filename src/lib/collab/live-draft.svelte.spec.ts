import { describe, expect, it } from 'vitest';
import { LiveDraft } from './live-draft.svelte.ts';

describe('LiveDraft', () => {
	it('follows the live value while the user has not changed it', () => {
		const draft = new LiveDraft('Alpha');
		expect(draft.changed).toBe(false);
		draft.follow('Alpha renamed by Ben');
		expect(draft.value).toBe('Alpha renamed by Ben');
		expect(draft.changed).toBe(false);
	});

	it('keeps what the user typed when the live value changes, and stays theirs', () => {
		const draft = new LiveDraft('Alpha');
		draft.value = 'Alpha by Ana';
		draft.follow('Alpha by Ben');
		expect(draft.value).toBe('Alpha by Ana');
		expect(draft.changed).toBe(true);
		// Their own save comes back as the live value: the draft is settled.
		draft.follow('Alpha by Ana');
		expect(draft.changed).toBe(false);
	});

	it('is unchanged again when the user types the shown value back', () => {
		const draft = new LiveDraft<number | null>(3);
		draft.value = 4;
		draft.value = 3;
		expect(draft.changed).toBe(false);
		draft.follow(null);
		expect(draft.value).toBeNull();
	});
});
