-- The planner's price of a random page read, for this database's sessions: 1.1, the usual
-- setting for SSDs and for data held in memory, instead of PostgreSQL's default 4 (a spinning
-- disk). In a workspace of many small boards the planner takes each column for a few rows (it
-- cannot know that a column's tasks all sit on one board); at 4 its plans for a big board's task
-- page read each column whole by bitmap and sorted it (2,199 rows for a 50-task page of a
-- 5,000-task board beside 300 small ones, and as many for a 200-task page), at 1.1 they walk the
-- column's index and stop with the page. The REST bench on such a workspace: 23 % more default
-- pages a second, a third less PostgreSQL CPU each (docs/performance.md, REST API, "Thirteenth
-- pass").
--
-- A database default, not a startup parameter: connection poolers such as PgBouncer refuse
-- unknown startup parameters. Written only where nothing set the value (its source is
-- PostgreSQL's built-in default: no server, database, role or client setting), so a value a DBA
-- set in any of those places stands, 4 included. A role that may not alter the database leaves
-- it as it is; the server then says so in its log at start (server/runtime.ts). Like any
-- database setting it outranks the server's configuration, and a restore without
-- `pg_dump --create` does not carry it.
do $$
begin
	if (select source from pg_settings where name = 'random_page_cost') = 'default' then
		execute format('alter database %I set random_page_cost = 1.1', current_database());
		-- This session too: a database default reaches only the sessions opened after it.
		set random_page_cost = 1.1;
	end if;
exception when insufficient_privilege then
	raise notice 'random_page_cost left at 4: this role may not alter database %', current_database();
end $$;
