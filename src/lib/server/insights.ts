/**
 * Board insights, computed by PostgreSQL from `task_transitions` (migration 014) and the live
 * rows: each figure reads a board's transitions once, through its (board_id, at) index, so the
 * cost follows the board's history, not the number of days asked for. Days and weeks are UTC.
 */
import type {
	BoardInsights,
	CycleTime,
	CycleTimeCard,
	FlowDay,
	ThroughputWeek,
	WipColumn
} from '../api/insights.ts';
import type { Sql } from './db/client.ts';

/** The range, inclusive, as UTC calendar days (YYYY-MM-DD). */
export interface InsightsRange {
	boardId: string;
	from: string;
	to: string;
}

/**
 * Each transition adds one card to its target category and takes one from its source; a card
 * deleted leaves the category it was in then. Summed by day, then accumulated from the start.
 */
async function cumulativeFlow(sql: Sql, { boardId, from, to }: InsightsRange): Promise<FlowDay[]> {
	const rows = await sql<{ date: string; category: string; cards: number }[]>`
		-- stop_at: the end of the last day in UTC, whatever the session's time zone (a date
		-- compared with a timestamptz would be read in that zone).
		with bounds as (
			select ${from}::date as first, ${to}::date + 1 as stop,
				(${to}::date + 1)::timestamp at time zone 'UTC' as stop_at
		),
		moves as (
			select tr.at, tr.to_category as category, 1 as delta
			from task_transitions tr, bounds
			where tr.board_id = ${boardId} and tr.at < bounds.stop_at
			union all
			select tr.at, tr.from_category, -1
			from task_transitions tr, bounds
			where tr.board_id = ${boardId} and tr.at < bounds.stop_at and tr.from_category is not null
			union all
			select t.deleted_at, last.to_category, -1
			from tasks t
			cross join bounds
			cross join lateral (
				select tr.to_category from task_transitions tr
				where tr.board_id = t.board_id and tr.task_id = t.id and tr.at <= t.deleted_at
				order by tr.at desc, tr.id desc limit 1
			) last
			where t.board_id = ${boardId} and t.deleted_at is not null and t.deleted_at < bounds.stop_at
		),
		-- Everything before the range lands on its first day, as the starting count.
		daily as (
			select greatest((m.at at time zone 'UTC')::date, bounds.first) as day, m.category,
				sum(m.delta) as delta
			from moves m, bounds
			group by 1, 2
		),
		grid as (
			select d::date as day, c.category
			from bounds,
				generate_series(bounds.first::timestamp, (bounds.stop - 1)::timestamp, interval '1 day') as d,
				(values ('todo'), ('in_progress'), ('done')) as c(category)
		)
		select to_char(g.day, 'YYYY-MM-DD') as date, g.category,
			(sum(coalesce(daily.delta, 0)) over (partition by g.category order by g.day))::int as cards
		from grid g
		left join daily on daily.day = g.day and daily.category = g.category
		order by g.day`;
	const days = new Map<string, FlowDay>();
	for (const row of rows) {
		const day = days.get(row.date) ?? { date: row.date, todo: 0, inProgress: 0, done: 0 };
		if (row.category === 'todo') day.todo = row.cards;
		else if (row.category === 'in_progress') day.inProgress = row.cards;
		else day.done = row.cards;
		days.set(row.date, day);
	}
	return [...days.values()];
}

/** Entries into done from elsewhere (or created there), counted by the ISO week they fall in. */
async function throughput(sql: Sql, { boardId, from, to }: InsightsRange) {
	return sql<ThroughputWeek[]>`
		with weeks as (
			select w::date as week_start
			from generate_series(date_trunc('week', ${from}::date::timestamp), ${to}::date::timestamp, interval '1 week') as w
		),
		completions as (
			select date_trunc('week', tr.at at time zone 'UTC')::date as week_start, count(*) as n
			from task_transitions tr
			where tr.board_id = ${boardId} and tr.to_category = 'done'
				and tr.from_category is distinct from 'done'
				and tr.at >= ${from}::date::timestamp at time zone 'UTC'
				and tr.at < (${to}::date + 1)::timestamp at time zone 'UTC'
			group by 1
		)
		select to_char(weeks.week_start, 'IYYY-"W"IW') as week,
			to_char(weeks.week_start, 'YYYY-MM-DD') as "weekStart",
			coalesce(completions.n, 0)::int as completed
		from weeks left join completions using (week_start)
		order by weeks.week_start`;
}

/**
 * A card's last entry into done within the range, against its first entry into an in-progress
 * column before that; the percentiles interpolate (PostgreSQL's percentile_cont).
 */
async function cycleTime(sql: Sql, { boardId, from, to }: InsightsRange): Promise<CycleTime> {
	const cards = await sql<CycleTimeCard[]>`
		with done as (
			select distinct on (tr.task_id) tr.task_id, tr.at
			from task_transitions tr
			where tr.board_id = ${boardId} and tr.to_category = 'done'
				and tr.from_category is distinct from 'done'
				and tr.at >= ${from}::date::timestamp at time zone 'UTC'
				and tr.at < (${to}::date + 1)::timestamp at time zone 'UTC'
			order by tr.task_id, tr.at desc, tr.id desc
		)
		select done.task_id as "taskId", t.title, done.at as "completedAt",
			(extract(epoch from done.at - started.at) / 3600)::float8 as hours
		from done
		-- Deleted cards count: the work was done (throughput counts them as well), even though
		-- the flow chart shows only the cards still on the board.
		join tasks t on t.board_id = ${boardId} and t.id = done.task_id
		cross join lateral (
			select min(tr.at) as at from task_transitions tr
			where tr.board_id = ${boardId} and tr.task_id = done.task_id
				and tr.to_category = 'in_progress' and tr.at <= done.at
		) started
		where started.at is not null
		order by hours, done.task_id`;
	const [stats] = await sql<{ median: number | null; p85: number | null }[]>`
		select percentile_cont(0.5) within group (order by h)::float8 as median,
			percentile_cont(0.85) within group (order by h)::float8 as p85
		from unnest(${cards.map((c) => c.hours)}::float8[]) as h`;
	return {
		cards: cards.map((c) => ({ ...c, completedAt: new Date(c.completedAt).toISOString() })),
		medianHours: stats?.median ?? null,
		p85Hours: stats?.p85 ?? null
	};
}

/** Live columns in board order with their live cards now. */
async function wip(sql: Sql, boardId: string) {
	return sql<WipColumn[]>`
		select c.id as "columnId", c.title, c.category, c.wip_limit as "limit",
			(select count(*) from tasks t
				where t.board_id = c.board_id and t.column_id = c.id and t.deleted_at is null)::int as cards
		from board_columns c
		where c.board_id = ${boardId} and c.deleted_at is null
		order by c.rank collate "C", c.id::text collate "C"`;
}

export async function getBoardInsights(sql: Sql, range: InsightsRange): Promise<BoardInsights> {
	const [flow, weeks, cycle, columns] = await Promise.all([
		cumulativeFlow(sql, range),
		throughput(sql, range),
		cycleTime(sql, range),
		wip(sql, range.boardId)
	]);
	return {
		from: range.from,
		to: range.to,
		cumulativeFlow: flow,
		throughput: [...weeks],
		cycleTime: cycle,
		wip: [...columns]
	};
}
