-- Boards and who may open them. Archiving is soft so a board can be brought back.
create table boards (
	id uuid primary key default gen_random_uuid(),
	title text not null check (char_length(title) between 1 and 255),
	owner_id uuid not null references users (id),
	archived_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create table board_members (
	board_id uuid not null references boards (id) on delete cascade,
	user_id uuid not null references users (id) on delete cascade,
	role text not null check (role in ('owner', 'editor', 'viewer')),
	created_at timestamptz not null default now(),
	primary key (board_id, user_id)
);

create index board_members_user_id_idx on board_members (user_id);
