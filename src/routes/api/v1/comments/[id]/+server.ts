import { commentBody } from '$lib/server/api/comment-schemas';
import { editComment, removeComment } from '$lib/server/comment-writes';
import { readJson } from '$lib/server/http/body';
import { endpoint, json, noContent } from '$lib/server/http/endpoint';

/** Changes the text of one's own comment. */
export const PATCH = endpoint(async (event) => {
	const { body } = await readJson(event.request, commentBody);
	return json(await editComment(event, event.params.id!, body));
});

/** Deletes one's own comment, or (board owners) anyone's. */
export const DELETE = endpoint(async (event) => {
	await removeComment(event, event.params.id!);
	return noContent();
});
