-- The admin console lists every account newest first with when each was last active
-- (`users.last_active_at`, migration 012), and lets an admin hand a locked-out user a one-time
-- password reset link (no mail server is assumed).
-- Listings page by keyset on (created_at, id), so both tables get that index; the reset token is
-- stored only as its SHA-256, like API tokens, so a database dump cannot be used to reset.
create index users_created_id_idx on users (created_at, id);
create index boards_created_id_idx on boards (created_at, id);

create table password_resets (
	token_hash text primary key,
	user_id uuid not null references users (id) on delete cascade,
	created_by uuid references users (id) on delete set null,
	expires_at timestamptz not null,
	used_at timestamptz,
	created_at timestamptz not null default now()
);

create index password_resets_user_id_idx on password_resets (user_id);
