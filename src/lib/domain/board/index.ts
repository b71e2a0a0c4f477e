/**
 * The board document's domain layer: schema, operations, reads and projection. Pure TypeScript
 * over Yjs, shared by the server, the browser and tests.
 */
export * from './schema.ts';
export * from './errors.ts';
export type { OpContext } from './context.ts';
export * from './rank.ts';
export * from './board.ts';
export * from './columns.ts';
export * from './tasks.ts';
export * from './checklist.ts';
export * from './label-colors.ts';
export * from './batch.ts';
export {
	diffText,
	type EditDescriptionInput,
	type SetDescriptionInput,
	type TextSplice
} from './description.ts';
export * from './read.ts';
export { liveBoardView } from './live-view.ts';
export { touchedEntries, type TouchedEntries } from './touched-entries.ts';
export * from './projection.ts';
export { restoreVersion, versionDoc } from './restore.ts';
export {
	copyBoardContent,
	writeBoardContent,
	writeBoardContentInSteps,
	type BoardContent,
	type ContentCard
} from './copy.ts';
