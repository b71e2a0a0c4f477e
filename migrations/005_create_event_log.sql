-- The audit event log. Events are first committed to `event_outbox` (board events in the same
-- transaction as the snapshot whose updates produced them), then a relay delivers them to the
-- event log (MongoDB, or `event_logs` below when MONGODB_URL is unset) and deletes them. So an
-- outage of the event log delays events but never loses them. `event_id` is unique because the
-- same event may be derived twice (replaying the write-ahead log after a crash): the second copy
-- updates the first instead of queueing a duplicate. An event that may still absorb edits (a
-- burst of typing) carries `open_until`; it is delivered at once and again whenever its
-- `revision` grows, and leaves the outbox only when closed.
create table event_outbox (
	id bigserial primary key,
	event_id uuid not null unique,
	board_id uuid,
	event jsonb not null,
	revision integer not null default 1,
	delivered_revision integer not null default 0,
	open_until timestamptz,
	created_at timestamptz not null default now()
);

create index event_outbox_pending_idx on event_outbox (id) where delivered_revision < revision;
create index event_outbox_open_idx on event_outbox (board_id) where open_until is not null;

-- The PostgreSQL adapter's store, one row per event in the seed's document shape (`document`),
-- with the fields queries filter on copied into indexed columns. `seq` records delivery order.
create table event_logs (
	id uuid primary key,
	seq bigserial not null,
	board_id uuid,
	entity_id text,
	actor_id uuid,
	type text not null,
	created_at timestamptz not null,
	revision integer not null default 1,
	document jsonb not null
);

create index event_logs_board_idx on event_logs (board_id, created_at desc, seq desc);
create index event_logs_entity_idx on event_logs (entity_id, created_at desc, seq desc);
create index event_logs_actor_idx on event_logs (actor_id, created_at desc, seq desc);
create index event_logs_type_idx on event_logs (type, created_at desc, seq desc);
