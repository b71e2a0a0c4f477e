-- What a user is told about: assigned or unassigned, a card they created completed, a card of
-- theirs due soon or overdue, a system message from an admin. `dedupe_key` names the cause
-- (the event, the due date, the broadcast) per recipient, so deriving the same cause twice
-- (a replay after a crash, two instances scanning due dates at once) stores one row.
create table notifications (
	id uuid primary key default gen_random_uuid(),
	user_id uuid not null references users (id) on delete cascade,
	kind text not null check (
		kind in ('assigned', 'unassigned', 'completed', 'due_soon', 'overdue', 'system')
	),
	board_id uuid references boards (id) on delete cascade,
	task_id uuid,
	actor_id uuid references users (id) on delete set null,
	payload jsonb not null default '{}'::jsonb,
	dedupe_key text not null,
	-- Milliseconds, like the cursors the API hands out (JavaScript dates), so a page boundary
	-- never falls between two rows of the same millisecond.
	created_at timestamptz not null default date_trunc('milliseconds', now()),
	read_at timestamptz
);

create unique index notifications_dedupe_key on notifications (user_id, dedupe_key);
create index notifications_user_created_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

create table broadcasts (
	id uuid primary key default gen_random_uuid(),
	author_id uuid references users (id) on delete set null,
	title text not null,
	body text not null default '',
	recipients integer not null,
	created_at timestamptz not null default now()
);
