-- A store no longer folds the stored snapshot into the live document every time (decoding a
-- whole board per store): it does so only when another writer replaced the snapshot since this
-- instance last read or wrote it. `revision` counts snapshot writes so that is one comparison.
alter table board_documents add column revision bigint not null default 0;
