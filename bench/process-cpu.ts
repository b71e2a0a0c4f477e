/**
 * CPU time spent by processes, from /proc (Linux): on a shared, busy machine throughput and
 * latency swing with the neighbours' load, but the CPU a request costs in the app and in
 * PostgreSQL stays put, so the benchmarks report it too. Elsewhere the readings are NaN.
 */
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** CPU ms (user + system) of each process still running, by pid. */
export function cpuMs(pids: number[]): Map<number, number> {
	const times = new Map<number, number>();
	for (const pid of pids) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// Fields after the command name (which may hold spaces), from field 3 on.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const ticks = Number(fields[11]) + Number(fields[12]);
			times.set(pid, (ticks * 1000) / ticksPerSecond);
		} catch {
			// Gone, or no /proc here.
		}
	}
	return times;
}

/** The PostgreSQL backends serving clients that named themselves `applicationName`. */
export async function backendPids(sql: postgres.Sql, applicationName: string): Promise<number[]> {
	const rows = await sql<{ pid: number }[]>`
		select pid from pg_stat_activity
		where datname = current_database() and application_name = ${applicationName}`;
	return rows.map((r) => r.pid);
}

/** CPU ms the processes spent between two readings (processes that started in between count whole). */
export function spent(before: Map<number, number>, after: Map<number, number>): number {
	if (after.size === 0) return NaN;
	let total = 0;
	for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
	return total;
}
