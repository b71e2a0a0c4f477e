/**
 * What the board's shortcuts do on the page (board-shortcuts.svelte.ts decides which one a key
 * press is). Columns render only the cards in view, so a card the focus goes to is scrolled into
 * its column's window first (CardLists.reveal), as keyboard moves and Find do.
 */
import type { BoardState } from '$lib/collab/board-state.svelte';
import type { ColumnView } from '$lib/domain/board';
import type { Shortcut } from './board-shortcuts.svelte';
import type { CardLists } from './card-lists';
import { neighbourCard } from './card-focus';

export interface ShortcutActionsOptions {
	board: BoardState;
	/** The columns as rendered. */
	columns: () => readonly ColumnView[];
	lists: CardLists;
	open: (taskId: string) => void;
	announce: (message: string) => void;
	/** Shows why an edit was refused (null clears it). */
	fail: (message: string | null) => void;
}

/** How long `e` waits for the card dialog (loaded on first use) before giving up on selecting. */
const dialogWait = 5000;

export function runShortcut(shortcut: Shortcut, options: ShortcutActionsOptions): void {
	const { board, lists, columns } = options;
	const focusCard = async (taskId: string) => {
		const element = await lists.reveal(columns, taskId);
		element?.focus({ preventScroll: true });
		return element;
	};
	switch (shortcut.action) {
		case 'undo':
			board.undo.undo();
			return;
		case 'redo':
			board.undo.redo();
			return;
		case 'new': {
			const columnId = shortcut.columnId ?? columns()[0]?.id;
			if (columnId) addCardIn(columnId);
			return;
		}
		case 'focus': {
			const next = neighbourCard(columns(), {
				taskId: shortcut.cardId,
				columnId: shortcut.columnId ?? undefined,
				direction: shortcut.direction
			});
			if (next) void focusCard(next);
			return;
		}
		case 'open':
			options.open(shortcut.cardId);
			return;
		case 'edit':
			options.open(shortcut.cardId);
			void selectTitleOnceOpen();
			return;
		case 'delete': {
			const taskId = shortcut.cardId;
			const from = { taskId, columnId: columnOf(taskId) };
			const next =
				neighbourCard(columns(), { ...from, direction: 'down' }) ??
				neighbourCard(columns(), { ...from, direction: 'up' });
			const outcome = board.deleteTask(taskId);
			options.fail(outcome.ok ? null : outcome.error.message);
			if (!outcome.ok) return;
			// The focused card is gone: keep the focus on the board, where the keys work.
			if (next) void focusCard(next);
			else if (from.columnId) focusAddCard(from.columnId);
			return;
		}
		case 'help':
			return;
	}
}

function columnElement(columnId: string): HTMLElement | null {
	return document.querySelector<HTMLElement>(`[data-column-id="${CSS.escape(columnId)}"]`);
}

function columnOf(taskId: string): string | undefined {
	const card = document.querySelector<HTMLElement>(`[data-card-id="${CSS.escape(taskId)}"]`);
	return card?.closest<HTMLElement>('[data-column-id]')?.dataset.columnId;
}

/** Opens the column's "add a card" form, or focuses it when it is open already. */
function addCardIn(columnId: string): void {
	const control = columnElement(columnId)?.querySelector<HTMLElement>('[data-add-card]');
	if (control instanceof HTMLButtonElement) control.click();
	else control?.focus();
}

function focusAddCard(columnId: string): void {
	columnElement(columnId)?.querySelector<HTMLElement>('[data-add-card]')?.focus();
}

/** The card dialog loads on first use: wait for its title field, then select the title. */
function selectTitleOnceOpen(): Promise<void> {
	return new Promise((resolve) => {
		const find = () => document.querySelector<HTMLInputElement>('dialog[open] #card-title');
		const select = (input: HTMLInputElement) => {
			observer.disconnect();
			clearTimeout(timer);
			input.focus();
			input.select();
			resolve();
		};
		const observer = new MutationObserver(() => {
			const input = find();
			if (input && !input.disabled) select(input);
		});
		const timer = setTimeout(() => {
			observer.disconnect();
			resolve();
		}, dialogWait);
		const input = find();
		if (input && !input.disabled) return select(input);
		observer.observe(document.body, {
			childList: true,
			subtree: true,
			attributes: true,
			attributeFilter: ['open']
		});
	});
}
