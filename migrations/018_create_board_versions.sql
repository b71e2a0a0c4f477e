-- Version history: a board's document state at a moment, as one Yjs update (the whole state, so
-- a version is read or restored without the log). Automatic checkpoints (`name` null) are taken
-- after a burst of editing, at most one per interval per board, and pruned by age; named ones are
-- kept until the board goes. A restore is applied to the live document as a new change.
create table board_versions (
	id uuid primary key default gen_random_uuid(),
	board_id uuid not null references boards (id) on delete cascade,
	name text check (name is null or char_length(name) between 1 and 100),
	state bytea not null,
	card_count integer not null,
	created_by uuid references users (id) on delete set null,
	created_at timestamptz not null default now()
);

-- The history lists a board's versions newest first; pruning reads old automatic ones.
create index board_versions_board_created_idx on board_versions (board_id, created_at desc);
