/**
 * The address of a task endpoint as the browser calls it. Card ids are unique per board only, so
 * the board always goes along as `?boardId=` (the API refuses an id held by several of the
 * caller's boards without it).
 */
export function taskApiUrl(boardId: string, taskId: string, rest = ''): string {
	return `/api/v1/tasks/${encodeURIComponent(taskId)}${rest}?boardId=${encodeURIComponent(boardId)}`;
}
