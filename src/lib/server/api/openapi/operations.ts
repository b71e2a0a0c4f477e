/**
 * The registry of /api/v1 operations. The OpenAPI document (`GET /api/v1/openapi.json`), the
 * reference page (`/api/docs`) and the server tests' response checks are all built from it.
 *
 * To add an operation:
 * 1. Validate its input in the handler with zod (`readJson(request, schema)`,
 *    `readQuery(url, schema)`), and describe a new kind of answer in `../response-schemas.ts`
 *    with `component('Name', z.object(…))`.
 * 2. Add one `OperationSpec` (see `spec.ts`) to the list of its area in `operations/`, or a
 *    new file spread in below: `id`, `method`, `path` (`{id}` for `[id]`), `tag`, `summary`,
 *    `pathParams`, `query`, `body` + `example`, `responses` (a text/event-stream answer names its
 *    `mediaType`), and `problems` particular to it. Rate limiting, 401, write refusals and body
 *    errors are added by kind. A new tag is one line in `tags` (spec.ts).
 * 3. `tests/server/openapi.test.ts` fails while a handler under src/routes/api/v1 has no entry;
 *    every server test then checks each answer it receives against the entry.
 */
import { accountOperations } from './operations/accounts.ts';
import { adminOperations } from './operations/admin.ts';
import { boardOperations } from './operations/boards.ts';
import { commentOperations } from './operations/comments.ts';
import { importOperations } from './operations/imports.ts';
import { myTaskOperations } from './operations/my-tasks.ts';
import { notificationOperations } from './operations/notifications.ts';
import { addressedByTask, isTaskAddressed } from './operations/task-address.ts';
import { taskOperations } from './operations/tasks.ts';
import { webhookOperations } from './operations/webhooks.ts';
import { versionOperations } from './operations/versions.ts';
import type { OperationSpec } from './spec.ts';

/** Task endpoints (`/api/v1/tasks/{id}…`) all take `?boardId=`: see task-address.ts. */
export const operations: readonly OperationSpec[] = [
	...accountOperations,
	...adminOperations,
	...boardOperations,
	...commentOperations,
	...importOperations,
	...myTaskOperations,
	...notificationOperations,
	...taskOperations,
	...webhookOperations,
	...versionOperations
].map((op) => (isTaskAddressed(op) ? addressedByTask(op) : op));
