/**
 * A workspace of many small boards (one column of four tasks each), beside whatever a test or
 * bench measures: the planner then costs a board against a small average board, as in a real
 * workspace, and not against the one board a fresh database holds.
 */
import type { Sql } from '../../../src/lib/server/db/client.ts';

export async function addSmallBoards(sql: Sql, ownerId: string, count: number): Promise<void> {
	await sql`
		with small as (
			insert into boards (title, owner_id)
			select 'Small ' || g, ${ownerId} from generate_series(1, ${count}) g
			returning id
		), columns as (
			insert into board_columns (board_id, id, title, rank, category)
			select id, gen_random_uuid(), 'To do', 'a', 'todo' from small
			returning board_id, id
		)
		insert into tasks (board_id, id, column_id, rank, title, status, priority)
		select c.board_id, gen_random_uuid(), c.id, 'a' || g, 'small task', 'todo', 'low'
		from columns c, generate_series(1, 4) g`;
}
