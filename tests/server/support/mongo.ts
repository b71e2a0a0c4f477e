/**
 * MongoDB for tests: the server named by MONGODB_URL (in CI a FerretDB that `.ci/run` starts
 * with scripts/ferretdb.sh), a database of its own per caller so parallel test files never
 * share one. Without MONGODB_URL the MongoDB tests skip and say why.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

export const mongoUrl = process.env.MONGODB_URL?.trim() || null;

export const mongoSkipReason =
	'MONGODB_URL is not set; `scripts/ferretdb.sh start DIR` prints one where Go is installed';

/** Prints once per test file that its MongoDB tests are skipped, and why. */
export function reportMongoSkip(what: string): void {
	if (!mongoUrl) console.log(`${what}: MongoDB tests skipped (${mongoSkipReason})`);
}

export interface TestMongoDatabase {
	url: string;
	name: string;
	drop(): Promise<void>;
}

/** A fresh database name on the MONGODB_URL server (MongoDB creates it on first write). */
export function mongoTestDatabase(prefix: string): TestMongoDatabase {
	if (!mongoUrl) throw new Error(mongoSkipReason);
	const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
	const url = new URL(mongoUrl);
	url.pathname = `/${name}`;
	return {
		url: url.href,
		name,
		async drop() {
			const client = new MongoClient(url.href, { serverSelectionTimeoutMS: 5000 });
			try {
				await client.db(name).dropDatabase();
			} finally {
				await client.close();
			}
		}
	};
}

export interface MongoEvent {
	_id: string;
	type: string;
	entityId: string | null;
	actorId: string | null;
	boardId: string | null;
	payload: any;
	createdAt: Date;
	revision: number;
}

/** A board's events as stored in `event_logs`, oldest first. */
export async function mongoEvents(url: string, boardId: string): Promise<MongoEvent[]> {
	const client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
	try {
		return await client
			.db()
			.collection<MongoEvent>('event_logs')
			.find({ boardId })
			.sort({ createdAt: 1, _id: 1 })
			.toArray();
	} finally {
		await client.close();
	}
}
