/** Comments on cards: read by anyone who may read the board, written by editors and owners. */
import { commentBody, commentPageQuery } from '../../comment-schemas.ts';
import { commentCountsSchema, commentPageSchema, commentSchema } from '../../response-schemas.ts';
import type { OperationSpec } from '../spec.ts';

const task = { id: 'The task id.' };
const comment = { id: 'The comment id.' };
const noTask = 'No such task on a board you may read.';
const noComment = 'No such comment on a board you may read.';
const archived = 'The board is archived: it can be read but no longer changed.';
const example = { body: 'Looks good, @Ben — see **step 2** in https://example.com/guide' };

export const commentOperations: OperationSpec[] = [
	{
		id: 'getCommentCounts',
		method: 'GET',
		path: '/api/v1/boards/{id}/comment-counts',
		tag: 'Comments',
		summary: "Comment counts of a board's cards",
		description:
			'How many comments each card has, for the cards that have any, in one answer: what an open board re-reads after it missed live news (a reconnect).',
		pathParams: { id: 'The board id.' },
		responses: { 200: { description: 'The counts.', schema: commentCountsSchema } },
		problems: {
			404: 'No such board, or you are not a member (the same answer, so ids do not leak).'
		}
	},
	{
		id: 'listComments',
		method: 'GET',
		path: '/api/v1/tasks/{id}/comments',
		tag: 'Comments',
		summary: "A task's comments",
		description:
			'Oldest first, with the card’s total. Each comment carries its Markdown source and the HTML the server rendered from it (a safe subset: no raw HTML, links to http(s) and mailto only).',
		pathParams: task,
		query: commentPageQuery,
		responses: { 200: { description: 'One page of comments.', schema: commentPageSchema } },
		problems: {
			404: noTask,
			422: '`limit` or `cursor` is not acceptable (`errors` names it).'
		}
	},
	{
		id: 'createComment',
		method: 'POST',
		path: '/api/v1/tasks/{id}/comments',
		tag: 'Comments',
		summary: 'Comment on a task',
		description:
			'Adds a comment as the caller (editors and owners). Each board member named as `@Display Name` is notified (`mentioned`); names of anyone else notify nobody. Open cards show it live; an audit event `comment.created` is recorded with it.',
		pathParams: task,
		body: commentBody,
		example,
		responses: { 201: { description: 'Posted.', schema: commentSchema } },
		problems: {
			403: 'Viewers (and admins who are not members) may read comments but not write them.',
			404: noTask,
			409: `${archived} Or the card is deleted.`,
			422: 'The body is empty or longer than 10,000 characters.'
		}
	},
	{
		id: 'updateComment',
		method: 'PATCH',
		path: '/api/v1/comments/{id}',
		tag: 'Comments',
		summary: 'Edit your comment',
		description:
			'Replaces the text of one of your own comments. Members newly mentioned are notified; `comment.updated` is recorded.',
		pathParams: comment,
		body: commentBody,
		example,
		responses: { 200: { description: 'The comment as stored.', schema: commentSchema } },
		problems: {
			403: 'The comment is someone else’s, or your role no longer allows writing.',
			404: noComment,
			409: archived,
			422: 'The body is empty or longer than 10,000 characters.'
		}
	},
	{
		id: 'deleteComment',
		method: 'DELETE',
		path: '/api/v1/comments/{id}',
		tag: 'Comments',
		summary: 'Delete a comment',
		description:
			'Deletes one of your own comments, or any comment on a board you own. The text is gone for good; `comment.deleted` records who deleted it.',
		pathParams: comment,
		responses: { 204: { description: 'Deleted.' } },
		problems: {
			403: 'The comment is someone else’s and you are not an owner of the board.',
			404: noComment,
			409: archived
		}
	}
];
