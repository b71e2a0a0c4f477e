-- Cards carry a checklist in the board document (items with text and done). The API's task
-- DTOs are read from these rows, so the row mirror holds the checklist as it reads, in order:
-- a JSON array of {id, text, done}. Existing cards have none.
alter table tasks add column checklist jsonb not null default '[]'::jsonb;
