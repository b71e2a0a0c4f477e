/**
 * What every task endpoint (`/api/v1/tasks/{id}…`) shares: `taskBoard` resolves the id, so each
 * accepts `?boardId=` and refuses an id held by several of the caller's boards without it.
 */
import { ambiguousTaskType, taskBoardQuery } from '../../task-schemas.ts';
import type { OperationSpec, ProblemSpec } from '../spec.ts';

const ambiguous = `Cards with this id are on more than one board you may read and \`boardId\` does not say which (\`type\` \`${ambiguousTaskType}\`; \`boards\` lists those boards, id and title).`;

/** Whether `taskBoard` resolves this operation's `{id}`. */
export const isTaskAddressed = (op: OperationSpec) => op.path.startsWith('/api/v1/tasks/{id}');

function withReason(existing: string | ProblemSpec | undefined): string | ProblemSpec {
	if (existing === undefined) return ambiguous;
	if (typeof existing === 'string') return `${existing} Or: ${ambiguous}`;
	return { ...existing, description: `${existing.description} Or: ${ambiguous}` };
}

export function addressedByTask(op: OperationSpec): OperationSpec {
	return {
		...op,
		query: op.query ? op.query.extend(taskBoardQuery.shape) : taskBoardQuery,
		problems: { ...op.problems, 409: withReason(op.problems?.[409]) }
	};
}
