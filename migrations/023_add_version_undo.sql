-- A restore's "Before restoring …" version (`undo`): named, so the history says what it undoes,
-- but made by the restore, not by someone naming the board. It does not count against
-- VERSION_MAX_NAMED (a board restored often would otherwise fill its named versions, which
-- cannot be deleted, and naming would be refused for good), and it is pruned like automatic
-- checkpoints (by age and number). The ones restores saved before this column are found by
-- their `board.version_restored` events in PostgreSQL (those in MongoDB stay named versions).
alter table board_versions
	add column undo boolean not null default false,
	add constraint board_versions_undo_named check (not undo or name is not null);

update board_versions set undo = true
where name is not null and id in (
	select (event -> 'payload' ->> 'previousVersionId')::uuid from event_outbox
	where event ->> 'type' = 'board.version_restored'
		and event -> 'payload' ->> 'previousVersionId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
	union
	select (document -> 'payload' ->> 'previousVersionId')::uuid from event_logs
	where type = 'board.version_restored'
		and document -> 'payload' ->> 'previousVersionId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
);
