/** Reading parsed JSON files (Trello and TaskFlow exports), whose shape nothing guarantees. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The objects of a list; anything else in it (or a value that is no list) is left out. */
export const objects = (value: unknown): Json[] =>
	Array.isArray(value) ? value.filter(isObject) : [];

/**
 * A value from the file as a report quotes it: strings as they are, anything else as JSON,
 * either cut to a length a report line can show (a hostile file may hold megabytes there).
 */
export function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : String(JSON.stringify(value));
	return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Values as a report line lists them: a few, each `shown`, and how many more there were. */
export function listed(values: readonly unknown[], most = 5): string {
	const head = values.slice(0, most).map(shown).join(', ');
	return values.length > most ? `${head} and ${values.length - most} more` : head;
}
