/** The answer of `GET /api/v1/boards/{id}/insights`, shared by the server and the Insights page. */

/** Cards in each column category at the end of one day. */
export interface FlowDay {
	date: string;
	todo: number;
	inProgress: number;
	done: number;
}

/** Cards that entered a done column during one ISO week (within the range asked for). */
export interface ThroughputWeek {
	/** ISO week, e.g. `2026-W49`. */
	week: string;
	/** Its Monday, YYYY-MM-DD. */
	weekStart: string;
	completed: number;
}

/** One card's time from first entering an in-progress column to entering a done column. */
export interface CycleTimeCard {
	taskId: string;
	title: string;
	completedAt: string;
	hours: number;
}

export interface CycleTime {
	/** Completed in the range after having been in progress (others have no cycle time). */
	cards: CycleTimeCard[];
	medianHours: number | null;
	p85Hours: number | null;
}

/** A live column's cards now, against its WIP limit. */
export interface WipColumn {
	columnId: string;
	title: string;
	category: string;
	cards: number;
	limit: number | null;
}

export interface BoardInsights {
	from: string;
	to: string;
	cumulativeFlow: FlowDay[];
	throughput: ThroughputWeek[];
	cycleTime: CycleTime;
	wip: WipColumn[];
}
