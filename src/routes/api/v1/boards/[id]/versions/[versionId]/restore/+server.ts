import { boardWriteAccess } from '$lib/server/api/board-writes';
import { restoreBoardVersion } from '$lib/server/api/version-restore';
import { endpoint, json } from '$lib/server/http/endpoint';

/** Restores a version as a new change; the state it replaces becomes a version (the undo). */
export const POST = endpoint(async (event) => {
	const { board } = await boardWriteAccess(event, event.params.id!);
	return json(await restoreBoardVersion(event, board.id, event.params.versionId!));
});
