-- Keyset pages of the API's lists read index ranges in the list's order, so a page does not
-- cost a sort of the whole list (a workspace with 10,000 boards, a board with 500 members).
-- Boards, most recently updated first: walked in this order and each probed for membership
-- when the caller is on many boards (on a few, their memberships are read and sorted).
create index boards_live_updated_idx on boards (updated_at desc, id desc) where archived_at is null;
-- A board's members: owners, then editors, then viewers, each in the order they joined.
create index board_members_board_role_idx on board_members (
	board_id,
	(case role when 'owner' then 0 when 'editor' then 1 else 2 end),
	created_at,
	user_id
);
-- A board's columns in board order (ranks compare as code units, like the document's `<`).
create index board_columns_board_order_idx on board_columns (board_id, rank collate "C", id);
-- Your tokens: newest first (created_at desc, id desc).
create index api_tokens_user_page_idx on api_tokens (user_id, created_at desc, id desc);
