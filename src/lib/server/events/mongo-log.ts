/**
 * The event log in MongoDB (MONGODB_URL): collection `event_logs`, one document per event with
 * `_id` = the event id, so a redelivered event can never be stored twice. Writes wait for a
 * majority, so a failover cannot roll back an event the relay already removed from the outbox.
 */
import { MongoBulkWriteError, MongoClient, type Collection, type Filter } from 'mongodb';
import { decodeCursor, encodeCursor } from './ids.ts';
import type { AuditEvent, EventLog, EventPage, EventQuery } from './types.ts';

type EventDocument = Omit<AuditEvent, 'id' | 'createdAt'> & { _id: string; createdAt: Date };

const duplicateKey = 11000;
const majority = { w: 'majority' as const };

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

	constructor(url: string, options: { serverSelectionTimeoutMS?: number } = {}) {
		this.describe = describeMongoUrl(url);
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
		await this.#events.createIndexes([
			{ key: { boardId: 1, createdAt: -1 }, name: 'boardId_createdAt' },
			{ key: { entityId: 1, createdAt: -1 }, name: 'entityId_createdAt' },
			{ key: { actorId: 1, createdAt: -1 }, name: 'actorId_createdAt' },
			{ key: { type: 1, createdAt: -1 }, name: 'type_createdAt' }
		]);
	}

	async append(events: readonly AuditEvent[]): Promise<void> {
		if (events.length === 0) return;
		// Replaces only a lower revision; when the stored one is as new, the upsert's insert hits
		// the existing _id and fails with a duplicate key, which means "already stored".
		const operations = events.map((event) => ({
			replaceOne: {
				filter: { _id: event.id, revision: { $lt: event.revision } } as Filter<EventDocument>,
				replacement: toDocument(event),
				upsert: true
			}
		}));
		try {
			await this.#events.bulkWrite(operations, { ordered: false, writeConcern: majority });
		} catch (error) {
			if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) throw error;
			const failures = [error.writeErrors].flat();
			if (failures.some((failure) => failure.code !== duplicateKey)) throw error;
		}
	}

	async query(query: EventQuery): Promise<EventPage> {
		const filter: Filter<EventDocument> = {};
		if (query.boardId) filter.boardId = query.boardId;
		if (query.entityId) filter.entityId = query.entityId;
		if (query.actorId) filter.actorId = query.actorId;
		if (query.type) filter.type = query.type;
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

	async ping(): Promise<void> {
		await this.#events.db.command({ ping: 1 });
	}

	async close(): Promise<void> {
		await this.#client.close();
	}
}
