-- Personal access tokens for API consumers. Only a SHA-256 hash of the secret is stored: the
-- secret is shown once at creation and a database leak does not reveal usable tokens (the
-- secrets are 256-bit random, so a fast hash is enough; no password hashing needed).
create table api_tokens (
	id uuid primary key default gen_random_uuid(),
	user_id uuid not null references users (id) on delete cascade,
	name text not null check (char_length(name) between 1 and 100),
	token_hash text not null unique,
	scope text not null check (scope in ('read', 'read-write')),
	last_used_at timestamptz,
	expires_at timestamptz,
	revoked_at timestamptz,
	created_at timestamptz not null default now()
);

create index api_tokens_user_id_idx on api_tokens (user_id, created_at desc);
