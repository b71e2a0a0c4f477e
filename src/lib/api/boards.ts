/**
 * Boards and their members as the API answers them and the pages show them. Types only: the
 * server builds these (`$lib/server/boards`, `$lib/server/members`) and the browser reads them.
 */
import type { BoardRole } from '../domain/policy.ts';

export interface BoardDto {
	id: string;
	title: string;
	ownerId: string;
	archivedAt: string | null;
	createdAt: string;
	updatedAt: string;
	/** The caller's role on the board, when the caller is a member. */
	myRole: BoardRole | null;
}

export interface MemberDto {
	userId: string;
	email: string;
	name: string;
	role: BoardRole;
	addedAt: string;
}
