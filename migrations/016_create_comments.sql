-- Comments on cards live in PostgreSQL, beside the board document rather than in it: they are
-- append-mostly text with an author, edited and deleted only by whoever may, and they would
-- grow every board document (and every client's copy) without bound. Deleting a comment
-- removes its row (a hard delete: the text is gone, as the person deleting it expects); the
-- event log keeps that it existed and who removed it, never its text. `seq` orders a card's
-- comments and pages them: two comments in one millisecond still have a fixed order.
create table comments (
	id uuid primary key default gen_random_uuid(),
	seq bigint generated always as identity unique,
	board_id uuid not null,
	task_id uuid not null,
	-- Null once the author's account is gone; the comment stays with "Someone" as its author.
	author_id uuid references users (id) on delete set null,
	body text not null check (char_length(body) between 1 and 10000),
	created_at timestamptz not null default date_trunc('milliseconds', now()),
	updated_at timestamptz not null default date_trunc('milliseconds', now()),
	foreign key (board_id, task_id) references tasks (board_id, id) on delete cascade
);

create index comments_task_seq_idx on comments (board_id, task_id, seq);

-- The card face shows how many comments a card has. The count is kept on the card's row, in
-- the transaction that adds or removes a comment (which also serialises two comments on one
-- card), so the board page reads the counts of one board with one indexed query instead of
-- counting comments. The row sync never writes this column, so it survives card edits.
alter table tasks add column comment_count integer not null default 0;
create index tasks_commented_idx on tasks (board_id) where comment_count > 0;

-- A mention in a comment notifies the member named.
alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
	kind in ('assigned', 'unassigned', 'completed', 'due_soon', 'overdue', 'system', 'mentioned')
);
