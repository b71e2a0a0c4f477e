import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#lib/server/events/types.ts';
import { EventBuffer } from './event-buffer.ts';

const taskId = 'card-1';

function titleEdit(before: string, after: string): AuditEvent {
	return {
		id: `event-${before}`,
		type: 'task.updated',
		actorId: 'ana',
		entityId: taskId,
		entityType: 'task',
		boardId: 'board-1',
		payload: { title: after, changes: { title: { before, after } } },
		metadata: { userAgent: null, ipAddress: null, sessionId: null, instance: 'test' },
		correlationId: 'c-1',
		createdAt: new Date(0).toISOString(),
		revision: 1
	};
}

const growth = (after: string, at: number) => ({
	taskId,
	fields: ['title'],
	actorId: 'ana',
	payload: { title: after, changes: { title: { before: 'ignored', after } } },
	at
});

describe('EventBuffer.capture', () => {
	it('hands over an open burst as it is then: its later growth does not reach the capture', () => {
		const buffer = new EventBuffer({ windowMs: 1_000 });
		buffer.start(titleEdit('a', 'ab'), ['title'], 0);
		expect(buffer.extend(growth('abc', 10))).toBe(true);
		const first = buffer.capture(20)!;
		const [entry] = first.entries;
		expect(entry!.openUntil).not.toBeNull();
		expect(entry!.event.revision).toBe(2);
		expect(entry!.event.payload).toEqual({
			title: 'abc',
			changes: { title: { before: 'a', after: 'abc' } }
		});

		// More typing while the store's transaction runs.
		expect(buffer.extend(growth('abcd', 30))).toBe(true);
		expect(entry!.event.revision).toBe(2);
		expect(entry!.event.payload).toEqual({
			title: 'abc',
			changes: { title: { before: 'a', after: 'abc' } }
		});
		first.committed();

		// The next store carries the burst at its new revision.
		const [next] = buffer.capture(40)!.entries;
		expect(next!.event.revision).toBe(3);
		expect(next!.event.payload.changes).toEqual({ title: { before: 'a', after: 'abcd' } });
	});

	it('hands over closed events as they are, in the order they happened, until committed', () => {
		const buffer = new EventBuffer({ windowMs: 1_000 });
		const typed = titleEdit('a', 'ab');
		buffer.start(typed, ['title'], 0);
		const created = { ...titleEdit('x', 'x'), id: 'created', type: 'task.created' as const };
		buffer.push(created);
		// The window's end closes the burst, which began first.
		const failed = buffer.capture(5_000)!;
		expect(failed.entries.map((e) => [e.event.id, e.openUntil])).toEqual([
			['event-a', null],
			['created', null]
		]);
		expect(failed.entries[0]!.event).toBe(typed);
		expect(failed.entries[1]!.event).toBe(created);
		// Its transaction failed (never committed): the next store hands over the same again.
		const retried = buffer.capture(5_001)!;
		expect(retried.entries.map((e) => e.event.id)).toEqual(['event-a', 'created']);
		retried.committed();
		expect(buffer.capture(5_002)).toBeNull();
	});
});
