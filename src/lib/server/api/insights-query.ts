/**
 * The `from`/`to` of `GET /api/v1/boards/{id}/insights`: UTC calendar days, inclusive. The span
 * is bounded so one request cannot ask PostgreSQL for years of daily rows.
 */
import { z } from 'zod';
import { ApiError } from '../http/problem.ts';

export const maxInsightsDays = 366;
export const defaultInsightsDays = 30;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;
const day = z
	.string()
	.refine(
		(v) =>
			isoDay.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && toDay(parseDay(v)) === v,
		'Send a calendar day as YYYY-MM-DD.'
	);

export const insightsQuery = z.object({
	from: day
		.optional()
		.describe(
			`First day (UTC), YYYY-MM-DD; default ${defaultInsightsDays - 1} days before \`to\`.`
		),
	to: day.optional().describe('Last day (UTC), YYYY-MM-DD, included; default today.')
});

const dayMs = 86_400_000;
const parseDay = (v: string) => Date.parse(`${v}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Fills in the defaults and checks the order and span; 422 names the field at fault. */
export function insightsRange(
	query: z.infer<typeof insightsQuery>,
	now = new Date()
): { from: string; to: string } {
	const to = query.to ?? toDay(now.getTime());
	const from = query.from ?? toDay(parseDay(to) - (defaultInsightsDays - 1) * dayMs);
	const days = (parseDay(to) - parseDay(from)) / dayMs + 1;
	if (days < 1)
		throw new ApiError(422, 'Some query parameters are invalid.', {
			errors: { from: 'Send a `from` on or before `to`.' }
		});
	if (days > maxInsightsDays)
		throw new ApiError(422, 'Some query parameters are invalid.', {
			errors: { to: `Ask for at most ${maxInsightsDays} days.` }
		});
	return { from, to };
}
