-- What an import is doing now, shown beside its progress bar: matching people, building the
-- board's document, saving its cards, adding comments, finishing. `done` of `total` counts cards
-- built, cards saved and comments added, so the bar moves through every phase.
alter table imports
	add column phase text not null default 'waiting'
		check (phase in ('waiting', 'people', 'document', 'cards', 'comments', 'finishing'));
