-- Idempotency-Key support for API POSTs: a client that retries a create (after a timeout or a
-- dropped connection) must get the first response back instead of creating a second task or
-- column. One row per (user, key), kept for 24 hours. `status` is null while the first request
-- is still running, so a concurrent retry can be told to wait instead of running twice.
create table idempotency_keys (
	user_id uuid not null references users (id) on delete cascade,
	key text not null check (char_length(key) between 1 and 255),
	fingerprint text not null,
	status integer,
	headers jsonb not null default '{}',
	body text,
	created_at timestamptz not null default now(),
	primary key (user_id, key)
);

create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
