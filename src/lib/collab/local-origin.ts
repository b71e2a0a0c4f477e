/**
 * The origin of a transaction made by this browser tab's own user: board operations and
 * description typing. Per-user undo tracks exactly these (by class, so each description binding
 * can keep its own instance to recognise its echo), and never the provider's or a stored
 * document's updates, which are other people's changes.
 */
export class LocalOrigin {
	/**
	 * `board`: one operation, one undo step. `typing`: description splices, grouped into bursts.
	 */
	readonly kind: 'board' | 'typing';

	constructor(kind: 'board' | 'typing') {
		this.kind = kind;
	}
}
