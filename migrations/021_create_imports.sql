-- Board imports (Trello, CSV, TaskFlow exports) run in the background after the request that
-- queued them: this row is their progress and, when done, their report. `updated_at` moves at
-- each step, so an import whose process died is recognised by its silence and marked failed.
create table imports (
	id uuid primary key default gen_random_uuid(),
	user_id uuid not null references users (id) on delete cascade,
	source text not null check (source in ('trello', 'csv', 'taskflow')),
	state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
	done integer not null default 0,
	total integer not null default 0,
	board_id uuid references boards (id) on delete set null,
	report jsonb,
	error text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	finished_at timestamptz
);

-- The startup sweep looks for unfinished imports only.
create index imports_unfinished_idx on imports (updated_at) where state in ('queued', 'running');
