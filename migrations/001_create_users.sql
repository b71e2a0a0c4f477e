-- Accounts and their lucia sessions. Email uniqueness is case-insensitive through an index on
-- lower(email) rather than citext, which embedded PGlite would need as an extra extension.
create table users (
	id uuid primary key default gen_random_uuid(),
	email text not null,
	password_hash text not null,
	role text not null default 'user' check (role in ('user', 'admin')),
	display_name text not null,
	profile jsonb not null default '{}'::jsonb,
	disabled_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create unique index users_email_key on users (lower(email));

create table user_session (
	id text primary key,
	user_id uuid not null references users (id) on delete cascade,
	expires_at timestamptz not null
);

create index user_session_user_id_idx on user_session (user_id);
