import type { HocuspocusProvider } from '@hocuspocus/provider';
import { createSubscriber } from 'svelte/reactivity';

type Awareness = NonNullable<HocuspocusProvider['awareness']>;

/** Who a presence entry belongs to. */
export interface PresenceUser {
	id: string;
	name: string;
	color: string;
	readOnly: boolean;
}

/** One person on the board, however many tabs they have open. */
export interface Peer extends PresenceUser {
	isSelf: boolean;
	/** Cards this person has open in any of their tabs. */
	openCards: string[];
}

function isPresenceUser(value: unknown): value is PresenceUser {
	if (typeof value !== 'object' || value === null) return false;
	const user = value as Record<string, unknown>;
	return typeof user.id === 'string' && typeof user.name === 'string';
}

function safeColor(value: unknown): string {
	// The server sets the colour, but a style attribute is no place to trust a string blindly.
	return typeof value === 'string' && /^#[0-9a-f]{3,8}$/i.test(value) ? value : '#64748b';
}

/**
 * The people on a board, read from the provider's awareness. The collaboration server
 * overwrites every client's `user` field from its authenticated connection, so names and
 * colours of others can be trusted; our own entry is filled in from the page data.
 */
export class BoardPresence {
	readonly #me: PresenceUser;
	#awareness: Awareness | null = null;
	/** Kept for `attach`: the page opens a card before the board's connection exists. */
	#openCard: string | null = null;
	#subscribe: () => void;
	#notify: (() => void) | null = null;

	constructor(me: PresenceUser) {
		this.#me = { ...me, color: safeColor(me.color) };
		this.#subscribe = createSubscriber((update) => {
			this.#notify = update;
			this.#awareness?.on('change', update);
			return () => {
				this.#awareness?.off('change', update);
				this.#notify = null;
			};
		});
	}

	/** Starts publishing our state on the provider's awareness. */
	attach(awareness: Awareness): void {
		this.#awareness = awareness;
		awareness.setLocalStateField('user', this.#me);
		awareness.setLocalStateField('openCard', this.#openCard);
		// Effects that subscribed before the provider existed must hear about its changes too.
		if (this.#notify) {
			awareness.on('change', this.#notify);
			this.#notify();
		}
	}

	/** Tells others which card we have open (null: none), so they see a marker on it. */
	setOpenCard(taskId: string | null): void {
		this.#openCard = taskId;
		this.#awareness?.setLocalStateField('openCard', taskId);
	}

	/** Everyone on the board, ourselves first, then by name; one entry per user. */
	get peers(): Peer[] {
		this.#subscribe();
		// A scratch map rebuilt on every read; reactivity comes from the awareness subscription.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const byId = new Map<string, Peer>();
		byId.set(this.#me.id, { ...this.#me, isSelf: true, openCards: [] });
		const awareness = this.#awareness;
		if (awareness) {
			for (const [clientId, state] of awareness.getStates()) {
				const own = clientId === awareness.clientID;
				const user = own ? this.#me : state.user;
				if (!isPresenceUser(user)) continue;
				let peer = byId.get(user.id);
				if (!peer) {
					peer = {
						id: user.id,
						name: user.name.slice(0, 80),
						color: safeColor(user.color),
						readOnly: user.readOnly === true,
						isSelf: false,
						openCards: []
					};
					byId.set(user.id, peer);
				}
				const open: unknown = state.openCard;
				if (typeof open === 'string' && !peer.openCards.includes(open)) peer.openCards.push(open);
			}
		}
		const others = [...byId.values()].filter((peer) => !peer.isSelf);
		others.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
		return [byId.get(this.#me.id) as Peer, ...others];
	}

	/** Other people who have each card open, by task id. */
	get viewersByCard(): Map<string, Peer[]> {
		// Rebuilt from `peers` on every read, so it needs no reactivity of its own.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const result = new Map<string, Peer[]>();
		for (const peer of this.peers) {
			if (peer.isSelf) continue;
			for (const taskId of peer.openCards) {
				const list = result.get(taskId) ?? [];
				list.push(peer);
				result.set(taskId, list);
			}
		}
		return result;
	}

	destroy(): void {
		this.#awareness = null;
	}
}
