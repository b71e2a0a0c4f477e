/**
 * "My tasks": the open cards assigned to the caller across their boards, as the API
 * (`GET /api/v1/me/tasks`) and the page `/me/tasks` show them. Plain data and types only.
 */
import type { DueGroup } from '../domain/due-groups.ts';

export interface MyTaskDto {
	id: string;
	boardId: string;
	boardTitle: string;
	columnId: string | null;
	/** Null when the card's column has no row (yet). */
	columnTitle: string | null;
	title: string;
	status: 'todo' | 'in_progress' | 'done';
	priority: 'low' | 'medium' | 'high' | 'urgent';
	labels: string[];
	/** A calendar day, `YYYY-MM-DD`. */
	dueDate: string | null;
	/** The due group as seen on the page's `today`. */
	group: DueGroup;
	/** Where the card opens in the app: its board with the card's dialog. */
	link: string;
}

export interface MyTaskPageDto {
	items: MyTaskDto[];
	nextCursor: string | null;
	/** The day the groups were made for. */
	today: string;
}

/** The app link that opens a card on its board. */
export const cardLink = (boardId: string, taskId: string) =>
	`/boards/${boardId}?card=${encodeURIComponent(taskId)}`;
