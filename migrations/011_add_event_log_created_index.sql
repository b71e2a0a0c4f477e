-- Event retention (EVENT_RETENTION_DAYS) deletes the oldest events in bounded batches; without
-- an index led by created_at each batch would scan the whole log. The existing indexes all lead
-- with a filter column (board, entity, actor, type). Ordered like the feed (newest first, then
-- seq) so a workspace-wide listing can use it too.
create index if not exists event_logs_created_idx on event_logs (created_at desc, seq desc);
