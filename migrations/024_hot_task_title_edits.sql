-- Card edits that change no indexed column become HOT updates (no new entry in any of the
-- table's 13 indexes). Every edit sets `updated_at`, and `tasks_live_updated_idx` held it, so no
-- row mirror write was HOT: in a probe, ~50 µs of PostgreSQL CPU per changed card against ~13 µs
-- for a HOT one, and each wrote WAL and dead entries for all 13 indexes (docs/performance.md,
-- "Ninth pass": 22 % less WAL at the seed load).
--
-- The `updatedAt` sort keeps an index, on the minute of `updated_at` instead of its exact value:
-- a card being typed into keeps its minute, so its writes stay HOT, and a page reads its rows
-- in minute order and sorts only within the minutes it reaches (an incremental sort), not the
-- board. The minute is a stored generated column because HOT compares the indexed columns
-- themselves: an index on an expression over `updated_at` would still count as indexing it.
-- Epoch minutes do not depend on the session's time zone, so the function is immutable.
create function task_minute(at timestamptz) returns integer
	language sql immutable parallel safe
	return floor(extract(epoch from at) / 60)::integer;

-- Room on each page for the new version of a row, which a HOT update must place on the row's
-- own page. Set before the column is added, whose rewrite of the table then leaves that room in
-- the pages of existing cards too.
alter table tasks set (fillfactor = 70);

-- Rewrites the table once (a generated column is computed for every row).
alter table tasks
	add column updated_minute integer generated always as (task_minute(updated_at)) stored;

drop index tasks_live_updated_idx;
create index tasks_live_updated_idx on tasks (board_id, updated_minute) where deleted_at is null;
