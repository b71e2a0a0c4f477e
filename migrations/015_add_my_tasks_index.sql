-- "My tasks" (GET /api/v1/me/tasks, src/lib/server/api/my-tasks.ts) lists a person's open cards
-- across all their boards by due date, undated last, with keyset pages. This index holds them in
-- that order per assignee, so a page reads about its own rows whatever the size of the boards.
-- The key expressions must stay equal to the query's.
create index tasks_open_assignee_due_idx on tasks (
	assignee_id,
	coalesce(due_date, 'infinity'::date),
	board_id,
	id
) where deleted_at is null and status <> 'done';
