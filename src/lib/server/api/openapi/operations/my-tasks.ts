/** "My tasks": the caller's open cards across their boards. */
import { myTaskPageSchema, myTasksQuery } from '../../my-task-schemas.ts';
import type { OperationSpec } from '../spec.ts';

export const myTaskOperations: OperationSpec[] = [
	{
		id: 'listMyTasks',
		method: 'GET',
		path: '/api/v1/me/tasks',
		tag: 'Tasks',
		summary: 'My tasks',
		description:
			'Every open task (not deleted, not in a done column) assigned to the caller on the boards they are a member of that are not archived, by due date (undated last), each with its due `group` as seen on `today` and the app `link` that opens it. Pass `nextCursor` back as `cursor` until it is null.',
		query: myTasksQuery,
		responses: { 200: { description: 'One page of tasks.', schema: myTaskPageSchema } },
		problems: {
			422: 'A query parameter is invalid or unknown, or the cursor was not issued by this listing (`errors` names it).'
		}
	}
];
