-- Board content. Each board is one Yjs document: `board_documents` holds its compacted
-- snapshot and `board_updates` is the write-ahead log of updates received since, appended
-- (and committed) before the server applies or acknowledges them, so an acknowledged edit
-- survives kill -9. Loading replays every log row over the snapshot (Yjs updates are
-- idempotent and commutative); a store deletes exactly the rows its snapshot contains.
create table board_documents (
	board_id uuid primary key references boards (id) on delete cascade,
	snapshot bytea not null,
	snapshot_seq bigint not null default 0,
	updated_at timestamptz not null default now()
);

create table board_updates (
	id bigserial primary key,
	board_id uuid not null references boards (id) on delete cascade,
	update bytea not null,
	actor_id uuid,
	created_at timestamptz not null default now()
);

create index board_updates_board_id_idx on board_updates (board_id, id);
