import { describe, expect, it } from 'vitest';
import type { Principal } from './principal.ts';
import { PrincipalCache } from './principal-cache.ts';

function principal(userId: string, sessionId: string): Principal {
	return {
		user: { id: userId, email: `${userId}@example.com`, name: userId, role: 'user' },
		sessionId,
		via: 'bearer',
		scope: 'read-write',
		canWrite: true,
		expiresAt: null
	};
}

function cache(options: { ttlMs?: number; maxEntries?: number } = {}) {
	const clock = { now: 1_000 };
	const kept = new PrincipalCache({ ttlMs: 60_000, ...options, now: () => clock.now });
	const put = (key: string, p: Principal, expiresAt: Date | null = null) =>
		kept.set(key, p, expiresAt, kept.generation);
	return { kept, clock, put };
}

describe('PrincipalCache', () => {
	it('answers a kept principal until its time is up', () => {
		const { kept, clock, put } = cache();
		const ana = principal('ana', 's1');
		put('k1', ana);
		expect(kept.get('k1')).toEqual(ana);
		clock.now += 59_999;
		expect(kept.get('k1')).toEqual(ana);
		clock.now += 1;
		expect(kept.get('k1')).toBeNull();
		expect(kept.size).toBe(0);
	});

	it("never keeps one past its session's or token's own expiry", () => {
		const { kept, clock, put } = cache();
		put('k1', principal('ana', 's1'), new Date(clock.now + 5_000));
		clock.now += 5_000;
		expect(kept.get('k1')).toBeNull();
		put('k2', principal('ana', 's2'), new Date(clock.now - 1));
		expect(kept.size).toBe(0);
	});

	it('keys a credential by a hash of its secret, per carrier', () => {
		const { kept } = cache();
		const cookie = kept.keyOf({ secret: 'abc', carrier: 'cookie' });
		expect(cookie).not.toContain('abc');
		expect(kept.keyOf({ secret: 'abc', carrier: 'cookie' })).toBe(cookie);
		expect(kept.keyOf({ secret: 'abc', carrier: 'bearer' })).not.toBe(cookie);
		expect(kept.keyOf({ secret: 'abd', carrier: 'cookie' })).not.toBe(cookie);
	});

	it('forgets a session under each of its keys, and only that session', () => {
		const { kept, put } = cache();
		put('cookie', principal('ana', 's1'));
		put('bearer', principal('ana', 's1'));
		put('other', principal('ana', 's2'));
		kept.forgetSession('s1');
		expect(kept.get('cookie')).toBeNull();
		expect(kept.get('bearer')).toBeNull();
		expect(kept.get('other')).not.toBeNull();
	});

	it("forgets every session and token of a user, and no one else's", () => {
		const { kept, put } = cache();
		put('k1', principal('ana', 's1'));
		put('k2', principal('ana', 'token:t1'));
		put('k3', principal('ben', 's3'));
		kept.forgetUser('ana');
		expect([kept.get('k1'), kept.get('k2')]).toEqual([null, null]);
		expect(kept.get('k3')?.user.id).toBe('ben');
		expect(kept.size).toBe(1);
	});

	it('does not keep an answer read while a revocation arrived', () => {
		const { kept } = cache();
		const before = kept.generation;
		kept.forgetSession('s9'); // any revocation, even of another session
		kept.set('k1', principal('ana', 's1'), null, before);
		expect(kept.get('k1')).toBeNull();
		kept.set('k1', principal('ana', 's1'), null, kept.generation);
		expect(kept.get('k1')).not.toBeNull();
	});

	it('keeps nothing while revocations may be missed, and drops what it had', () => {
		const { kept, put } = cache();
		put('k1', principal('ana', 's1'));
		kept.listening(false);
		expect(kept.get('k1')).toBeNull();
		put('k2', principal('ben', 's2'));
		expect(kept.size).toBe(0);
		kept.listening(true);
		put('k2', principal('ben', 's2'));
		expect(kept.get('k2')?.user.id).toBe('ben');
	});

	it('drops the oldest past its size, and its indexes with it', () => {
		const { kept, put } = cache({ maxEntries: 2 });
		put('k1', principal('ana', 's1'));
		put('k2', principal('ben', 's2'));
		put('k3', principal('cy', 's3'));
		expect(kept.get('k1')).toBeNull();
		expect(kept.size).toBe(2);
		// The dropped entry's indexes went with it: forgetting its user touches no one else.
		kept.forgetUser('ana');
		expect(kept.size).toBe(2);
	});

	it('keeps nothing with no time to keep it', () => {
		const { kept, put } = cache({ ttlMs: 0 });
		put('k1', principal('ana', 's1'));
		expect(kept.size).toBe(0);
	});

	it('hands every request the same frozen principal', () => {
		const { kept, put } = cache();
		put('k1', principal('ana', 's1'));
		const got = kept.get('k1')!;
		expect(Object.isFrozen(got) && Object.isFrozen(got.user)).toBe(true);
		expect(kept.get('k1')).toBe(got);
	});
});
