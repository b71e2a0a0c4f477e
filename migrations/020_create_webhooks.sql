-- Webhooks: HTTP endpoints told of board events. A hook belongs to one board (its owners manage
-- it) or, with board_id null, to the workspace (admins manage it). The secret signs deliveries,
-- so it is kept as given (an HMAC needs the key itself); the API shows it once.
create table webhooks (
	id uuid primary key default gen_random_uuid(),
	board_id uuid references boards (id) on delete cascade,
	created_by uuid references users (id) on delete set null,
	url text not null,
	-- Patterns such as `task.*` or `comment.created`.
	event_types text[] not null,
	secret text not null,
	active boolean not null default true,
	disabled_reason text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create index webhooks_board_idx on webhooks (board_id, created_at, id);

-- One row per event per hook, created in the transaction that retires the event from the
-- outbox, so an event reaches every hook at least once. Delivered oldest first per hook and
-- board; `pending` rows wait for `next_attempt_at`.
create table webhook_deliveries (
	id bigserial primary key,
	webhook_id uuid not null references webhooks (id) on delete cascade,
	board_id uuid,
	event_id uuid not null,
	event_type text not null,
	event jsonb not null,
	state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
	attempts integer not null default 0,
	next_attempt_at timestamptz not null default now(),
	response_status integer,
	duration_ms integer,
	last_error text,
	-- A manual redelivery names the delivery it repeats.
	redelivery_of bigint,
	-- The retry period runs from here, not from queueing: a delivery that waited behind a
	-- failing one (or a switched-off hook) gets its full day of retries.
	first_attempt_at timestamptz,
	created_at timestamptz not null default now(),
	finished_at timestamptz
);

-- The revision of an outbox event last handed to the webhooks: a burst still open when a
-- later event of its board retires is handed early (keeping the board's order), and again
-- only if it grows.
alter table event_outbox add column webhook_revision integer not null default 0;

create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at, id)
	where state = 'pending';
create index webhook_deliveries_queue_idx on webhook_deliveries (webhook_id, board_id, id)
	where state = 'pending';
create index webhook_deliveries_log_idx on webhook_deliveries (webhook_id, id desc);
create index webhook_deliveries_finished_idx on webhook_deliveries (finished_at)
	where state <> 'pending';

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
	kind in (
		'assigned', 'unassigned', 'completed', 'due_soon', 'overdue', 'system', 'mentioned',
		'webhook_disabled'
	)
);
