/**
 * The event log in MongoDB (MONGODB_URL): collection `event_logs`, one document per event with
 * `_id` = the event id, so a redelivered event can never be stored twice. Writes wait for a
 * majority, so a failover cannot roll back an event the relay already removed from the outbox.
 */
import {
	MongoBulkWriteError,
	MongoClient,
	MongoServerError,
	type Collection,
	type Filter
} from 'mongodb';
import { decodeCursor, encodeCursor } from './ids.ts';
import type { AuditEvent, EventLog, EventPage, EventQuery } from './types.ts';

type EventDocument = Omit<AuditEvent, 'id' | 'createdAt'> & { _id: string; createdAt: Date };

const duplicateKey = 11000;
const namespaceNotFound = 26;
const indexNotFound = 27;
const indexOptionsConflict = 85;
/** What FerretDB 1.x answers to `expireAfterSeconds` (it has no TTL indexes). */
const notImplemented = 238;
const majority = { w: 'majority' as const };
const ttlIndex = 'createdAt_ttl';
/** Update statements per command: below FerretDB's deadlock at 100 (its connection pool). */
const replaceBatch = 50;
const indexes = [
	{ key: { boardId: 1, createdAt: -1 }, name: 'boardId_createdAt' },
	{ key: { entityId: 1, createdAt: -1 }, name: 'entityId_createdAt' },
	{ key: { actorId: 1, createdAt: -1 }, name: 'actorId_createdAt' },
	{ key: { type: 1, createdAt: -1 }, name: 'type_createdAt' }
] as const;

function serverCode(error: unknown): number | undefined {
	return error instanceof MongoServerError ? Number(error.code) : undefined;
}

export interface MongoEventLogOptions {
	serverSelectionTimeoutMS?: number;
	/** Events older than this many days are deleted (TTL index); null keeps them forever. */
	retentionDays?: number | null;
}

/** The database named in the URL's path, or `taskflow`. */
function databaseName(url: string): string {
	const path = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1];
	return path ? decodeURIComponent(path) : 'taskflow';
}

/** Host list without credentials, for log lines. */
export function describeMongoUrl(url: string): string {
	const hosts = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]+)/.exec(url)?.[1] ?? 'unknown host';
	return `MongoDB at ${hosts}`;
}

function toDocument(event: AuditEvent): EventDocument {
	const { id, createdAt, ...rest } = event;
	return { _id: id, ...rest, createdAt: new Date(createdAt) };
}

function fromDocument(doc: EventDocument): AuditEvent {
	const { _id, createdAt, ...rest } = doc;
	return { id: _id, ...rest, createdAt: createdAt.toISOString() };
}

export class MongoEventLog implements EventLog {
	readonly kind = 'mongodb' as const;
	readonly describe: string;
	readonly #client: MongoClient;
	readonly #events: Collection<EventDocument>;
	readonly #retentionDays: number | null;
	/** Set by `prepare` when the TTL index is in place; FerretDB refuses one (see prepare). */
	#ttlIndexed = false;

	constructor(url: string, options: MongoEventLogOptions = {}) {
		this.describe = describeMongoUrl(url);
		this.#retentionDays = options.retentionDays ?? null;
		// A short selection timeout: the relay retries, and a request must not hang for 30 s.
		this.#client = new MongoClient(url, {
			serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
			writeConcern: majority,
			appName: 'taskflow'
		});
		this.#events = this.#client.db(databaseName(url)).collection<EventDocument>('event_logs');
	}

	async prepare(): Promise<void> {
		await this.#client.connect();
		// One index per command: FerretDB 1.24 drops the connection (a server panic) when one
		// createIndexes names two or more indexes that already exist, i.e. on every prepare
		// after the first. MongoDB takes either form.
		for (const index of indexes) {
			await this.#events.createIndex(index.key, { name: index.name });
		}
		await this.#prepareRetention();
	}

	/** With the TTL index MongoDB deletes expired events; otherwise the retention job does. */
	get expiresOnItsOwn(): boolean {
		return this.#ttlIndexed;
	}

	async #prepareRetention(): Promise<void> {
		this.#ttlIndexed = false;
		if (this.#retentionDays === null) {
			// Retention switched off: a TTL index left from before would go on deleting.
			await this.#events.dropIndex(ttlIndex).catch((error: unknown) => {
				const code = serverCode(error);
				if (code !== indexNotFound && code !== namespaceNotFound) throw error;
			});
			return;
		}
		const expireAfterSeconds = this.#retentionDays * 24 * 60 * 60;
		try {
			await this.#events.createIndex({ createdAt: 1 }, { name: ttlIndex, expireAfterSeconds });
			this.#ttlIndexed = true;
		} catch (error) {
			const code = serverCode(error);
			if (code === indexOptionsConflict) {
				// The index exists with another retention: change it in place.
				await this.#events.db.command({
					collMod: this.#events.collectionName,
					index: { name: ttlIndex, expireAfterSeconds }
				});
				this.#ttlIndexed = true;
			} else if (code === notImplemented) {
				// FerretDB: the leader's retention job deletes instead, oldest first by this index.
				await this.#events.createIndex({ createdAt: 1 }, { name: 'createdAt' });
			} else {
				throw error;
			}
		}
	}

	async append(events: readonly AuditEvent[]): Promise<void> {
		if (events.length === 0) return;
		// Insert first: one command for the usual case (new events). A duplicate key means
		// "already stored"; only such events with a revision above 1 may replace what is stored.
		// Not one upserting replaceOne per event, which FerretDB cannot take (see
		// docs/architecture.md, "MongoDB adapter against FerretDB"): it ends an unordered update
		// batch at the first duplicate key, deadlocks from 100 statements in one command, and
		// runs each upsert in tens of milliseconds.
		let stored: AuditEvent[] = [];
		try {
			await this.#events.insertMany(events.map(toDocument), {
				ordered: false,
				writeConcern: majority
			});
		} catch (error) {
			if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) throw error;
			const failures = [error.writeErrors].flat();
			// Every event must be accounted for: inserted now, or a duplicate key. A network error
			// in the middle of the batch is also a MongoBulkWriteError, with no write errors.
			if (
				failures.length === 0 ||
				failures.some((failure) => failure.code !== duplicateKey) ||
				error.insertedCount + failures.length !== events.length
			) {
				throw error;
			}
			stored = failures.map((failure) => events[failure.index]!);
		}
		const newer = stored.filter((event) => event.revision > 1);
		for (let i = 0; i < newer.length; i += replaceBatch) {
			// Without upsert: a higher revision replaces a lower one; otherwise nothing matches.
			const operations = newer.slice(i, i + replaceBatch).map((event) => ({
				replaceOne: {
					filter: { _id: event.id, revision: { $lt: event.revision } } as Filter<EventDocument>,
					replacement: toDocument(event)
				}
			}));
			await this.#events.bulkWrite(operations, { ordered: false, writeConcern: majority });
		}
	}

	async query(query: EventQuery): Promise<EventPage> {
		const filter: Filter<EventDocument> = {};
		if (query.boardId) filter.boardId = query.boardId;
		if (query.entityId) filter.entityId = query.entityId;
		if (query.actorId) filter.actorId = query.actorId;
		// Any `word.word` may be asked for (an older release's type among them), listed or not.
		if (query.type) filter.type = query.type as AuditEvent['type'];
		if (query.from || query.to) {
			filter.createdAt = {
				...(query.from ? { $gte: new Date(query.from) } : {}),
				...(query.to ? { $lt: new Date(query.to) } : {})
			};
		}
		const after = query.cursor ? decodeCursor(query.cursor) : null;
		if (query.cursor && !after) throw new Error('invalid cursor');
		if (after) {
			const at = new Date(after.createdAt);
			filter.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: after.key } }];
		}
		const docs = await this.#events
			.find(filter)
			.sort({ createdAt: -1, _id: -1 })
			.limit(query.limit + 1)
			.toArray();
		const page = docs.slice(0, query.limit).map(fromDocument);
		const last = page.at(-1);
		return {
			items: page,
			nextCursor:
				docs.length > query.limit && last
					? encodeCursor({ createdAt: last.createdAt, key: last.id })
					: null
		};
	}

	async deleteBefore(cutoff: Date, limit: number): Promise<number> {
		// Ids first, then one delete of exactly those: a bounded batch (deleteMany has no limit).
		const expired = await this.#events
			.find({ createdAt: { $lt: cutoff } }, { projection: { _id: 1 } })
			.sort({ createdAt: 1 })
			.limit(limit)
			.toArray();
		if (expired.length === 0) return 0;
		const result = await this.#events.deleteMany(
			{ _id: { $in: expired.map((doc) => doc._id) } },
			{ writeConcern: majority }
		);
		return result.deletedCount;
	}

	async ping(): Promise<void> {
		await this.#events.db.command({ ping: 1 });
	}

	async close(): Promise<void> {
		await this.#client.close();
	}
}
