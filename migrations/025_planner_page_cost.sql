-- The planner's price of a random page read, for this database's sessions: 1.1, the usual
-- setting for SSDs and for data held in memory, instead of PostgreSQL's default 4 (a spinning
-- disk). In a workspace of many small boards the planner takes each column for a few rows (it
-- cannot know that a column's tasks all sit on one board); at 4 its plans for a big board's task
-- page read each column whole by bitmap and sorted it (2,199 rows for a 50-task page of a
-- 5,000-task board beside 300 small ones), at 1.1 they walk the column's index and stop with the
-- page. The REST bench on such a workspace: 23 % more default pages a second, a third less
-- PostgreSQL CPU each (docs/performance.md, "Thirteenth pass").
--
-- A database default, not a startup parameter: connection poolers such as PgBouncer refuse
-- unknown startup parameters. It is written only over PostgreSQL's own default, so a value a
-- DBA chose (server, database or role) stands; and a role that may not alter the database
-- leaves it as it is, with a notice, rather than failing the migration.
do $$
begin
	if current_setting('random_page_cost')::float8 = 4 then
		execute format('alter database %I set random_page_cost = 1.1', current_database());
		-- This session too: a database default reaches only the sessions opened after it.
		set random_page_cost = 1.1;
	end if;
exception when insufficient_privilege then
	raise notice 'random_page_cost left at 4: this role may not alter database %', current_database();
end $$;
