-- Board insights (cumulative flow, throughput, cycle time) need when each card entered each
-- column category; the tasks rows only hold the present. The row sync appends one row here, in
-- the same statement as the task upsert, whenever a card's row is created or its status changes.
-- Existing cards are back-filled from what the rows know: creation at created_at (into `todo`
-- when the card has been completed, else into its current status) and entering `done` at
-- completed_at. Earlier moves were never recorded, so back-filled cards have no cycle time.
create table task_transitions (
	id bigint generated always as identity primary key,
	board_id uuid not null,
	task_id uuid not null,
	from_category text check (from_category in ('todo', 'in_progress', 'done')),
	to_category text not null check (to_category in ('todo', 'in_progress', 'done')),
	at timestamptz not null default now(),
	foreign key (board_id, task_id) references tasks (board_id, id) on delete cascade
);

-- Insights read a board's transitions by time; cycle time looks up one card's history.
create index task_transitions_board_at_idx on task_transitions (board_id, at);
create index task_transitions_task_at_idx on task_transitions (board_id, task_id, at);

insert into task_transitions (board_id, task_id, from_category, to_category, at)
select board_id, id, null,
	case when completed_at is not null and status = 'done' then 'todo' else status end,
	created_at
from tasks;

insert into task_transitions (board_id, task_id, from_category, to_category, at)
select board_id, id, 'todo', 'done', greatest(completed_at, created_at)
from tasks
where completed_at is not null and status = 'done';
