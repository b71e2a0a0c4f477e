-- The normalized projection of each board document, for queries, the REST API, admin pages
-- and reports. Rows are written only by the document store, never edited directly. Keys are
-- (board_id, id) because ids come from clients: a hostile client copying another board's
-- task id must not be able to collide with it. No foreign key on assignee_id: a document may
-- name a member who has since left, and that must not make the store fail.
create table board_columns (
	board_id uuid not null references boards (id) on delete cascade,
	id uuid not null,
	title text not null,
	rank text not null,
	category text not null check (category in ('todo', 'in_progress', 'done')),
	wip_limit integer,
	deleted_at timestamptz,
	version integer not null default 1,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	primary key (board_id, id)
);

create table tasks (
	board_id uuid not null references boards (id) on delete cascade,
	id uuid not null,
	column_id uuid,
	rank text not null,
	title text not null,
	description text not null default '',
	status text not null check (status in ('todo', 'in_progress', 'done')),
	priority text not null check (priority in ('low', 'medium', 'high', 'urgent')),
	assignee_id uuid,
	creator_id uuid,
	labels text[] not null default '{}',
	due_date date,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	completed_at timestamptz,
	deleted_at timestamptz,
	version integer not null default 1,
	primary key (board_id, id)
);

create index tasks_board_column_rank_idx on tasks (board_id, column_id, rank);
create index tasks_board_status_idx on tasks (board_id, status) where deleted_at is null;
create index tasks_assignee_idx on tasks (assignee_id) where deleted_at is null;
create index tasks_due_date_idx on tasks (due_date) where deleted_at is null and due_date is not null;
create index tasks_id_idx on tasks (id);
