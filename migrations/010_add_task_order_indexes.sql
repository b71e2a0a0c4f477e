-- REST task lists page with keyset cursors; these indexes hold the tasks of a board in each
-- sort order the API offers, so a page reads about its own rows instead of sorting the whole
-- board (src/lib/server/api/task-list-query.ts uses the same expressions; keep them equal).
-- Board order within a column is (rank in code-unit order, id), for live tasks and, with
-- includeDeleted, for all; the latter replaces the old (board_id, column_id, rank) index, whose
-- rank in the database's collation served no query. The other sorts list live tasks.
create index tasks_live_board_order_idx on tasks (board_id, column_id, rank collate "C", id)
	where deleted_at is null;
create index tasks_board_order_idx on tasks (board_id, column_id, rank collate "C", id);
drop index tasks_board_column_rank_idx;
create index tasks_live_created_idx on tasks (board_id, created_at, id) where deleted_at is null;
create index tasks_live_updated_idx on tasks (board_id, updated_at, id) where deleted_at is null;
create index tasks_live_due_idx on tasks (board_id, coalesce(due_date, 'infinity'::date), id)
	where deleted_at is null;
create index tasks_live_priority_idx on tasks (
	board_id,
	(case priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end),
	created_at,
	id
) where deleted_at is null;
