/**
 * Slicing many rows into statements: at most `rows` rows each and, when rows are weighed,
 * about `chars` characters of text (a statement's rows travel as one parameter, whose size
 * the driver and the server should handle comfortably whatever the rows hold).
 */
export interface BatchLimits<T> {
	rows: number;
	chars?: number;
	/** A row's characters; unweighed rows count as none. */
	weigh?: (row: T) => number;
}

/**
 * About how much text one statement's rows should carry (in characters of their weight): far
 * below PostgreSQL's 1 GB message, and cheap for the driver to build as one string.
 */
export const charsPerStatement = 16 * 1024 * 1024;

/** Consecutive slices within the limits; a row heavier than `chars` goes alone. */
export function* batches<T>(
	rows: readonly T[],
	{ rows: size, chars = Infinity, weigh }: BatchLimits<T>
): Generator<T[]> {
	let batch: T[] = [];
	let total = 0;
	for (const row of rows) {
		const weight = weigh?.(row) ?? 0;
		if (batch.length > 0 && (batch.length >= size || total + weight > chars)) {
			yield batch;
			batch = [];
			total = 0;
		}
		batch.push(row);
		total += weight;
	}
	if (batch.length > 0) yield batch;
}
