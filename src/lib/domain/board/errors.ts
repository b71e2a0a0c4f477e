/**
 * Refusals of board operations. Every operation validates its whole input before it touches the
 * document, so a thrown DomainError always means the document is unchanged.
 */

/** Why an operation was refused; stable strings that clients may map to messages. */
export type DomainErrorCode =
	| 'invalid_title'
	| 'invalid_description'
	| 'unknown_column'
	| 'unknown_task'
	| 'invalid_assignee'
	| 'invalid_date'
	| 'invalid_priority'
	| 'invalid_category'
	| 'invalid_wip_limit'
	| 'invalid_label'
	| 'invalid_label_color'
	| 'invalid_checklist_text'
	| 'invalid_checklist_done'
	| 'unknown_checklist_item'
	| 'checklist_full'
	| 'invalid_position'
	| 'invalid_target'
	| 'column_deleted'
	| 'task_deleted'
	| 'last_column'
	| 'unsupported_schema';

/**
 * A refused operation. `field` names the input field the message belongs next to (for example
 * `title` or `dueDate`), or is null when the refusal is about the request as a whole.
 */
export class DomainError extends Error {
	readonly code: DomainErrorCode;
	readonly field: string | null;

	constructor(code: DomainErrorCode, message: string, field: string | null = null) {
		super(message);
		this.name = 'DomainError';
		this.code = code;
		this.field = field;
	}
}

export function isDomainError(error: unknown): error is DomainError {
	return error instanceof DomainError;
}
