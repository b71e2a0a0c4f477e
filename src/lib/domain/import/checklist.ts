/**
 * A card's checklist from another source (a Trello export, a TaskFlow export) within the limits
 * the board holds every checklist to (schema.ts, `validateChecklistText`): each item one line of
 * at most `maxChecklistTextLength`, none without visible text, at most `maxChecklistItems`. An
 * import cuts and leaves out rather than refuses, so what it changes is reported, once per card
 * and kind of change.
 */
import { countOf } from '../../count-words.ts';
import { cleanText } from '../board/records.ts';
import { maxChecklistItems, maxChecklistTextLength } from '../board/schema.ts';
import { hasVisibleText } from '../visible-text.ts';
import { oneLine, type SkippedItem } from './plan.ts';

export interface ImportChecklistItem {
	text: string;
	done: boolean;
}

/** `items` in order as the board can hold them; `title` names the card in the report. */
export function cleanChecklist(
	items: readonly ImportChecklistItem[],
	title: string,
	skipped: SkippedItem[]
): ImportChecklistItem[] {
	const checklist: ImportChecklistItem[] = [];
	let blank = 0;
	let cut = 0;
	for (const item of items) {
		const line = oneLine(item.text);
		// Shown as a blank line, and refused by the board when typed.
		if (!hasVisibleText(line)) {
			blank += 1;
			continue;
		}
		if (line.length > maxChecklistTextLength) cut += 1;
		checklist.push({ text: cleanText(line, maxChecklistTextLength).trim(), done: item.done });
	}
	if (blank > 0) {
		skipped.push({
			what: `${countOf(blank, 'checklist item')} of “${title}”`,
			reason: 'nothing visible in the text'
		});
	}
	if (cut > 0) {
		skipped.push({
			what: `The end of ${countOf(cut, 'checklist item')} of “${title}”`,
			reason: `longer than ${maxChecklistTextLength} characters`
		});
	}
	if (checklist.length > maxChecklistItems) {
		skipped.push({
			what: `${countOf(checklist.length - maxChecklistItems, 'checklist item')} of “${title}”`,
			reason: `a checklist has at most ${maxChecklistItems} items`
		});
	}
	return checklist.slice(0, maxChecklistItems);
}
