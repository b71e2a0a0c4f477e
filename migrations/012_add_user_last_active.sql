-- When each user last did something (a signed-in request, a board connection, an edit), so
-- daily and weekly active users are one indexed count and admins can see who is still around.
-- Written at most every few minutes per user (see src/lib/server/user-activity.ts).
alter table users add column if not exists last_active_at timestamptz;

create index if not exists users_last_active_idx on users (last_active_at) where last_active_at is not null;
