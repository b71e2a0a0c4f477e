/**
 * Creating and revoking API tokens with their audit events (`token.created`, `token.revoked`),
 * for both the API and the settings page. The token row and its event commit in one
 * transaction, so the log never misses a credential or names one that was never issued.
 * The secret itself never enters an event.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { changeWithEvents, requestSource } from '../events/audit.ts';
import { createApiToken, revokeApiToken, type ApiTokenDto, type TokenScope } from './api-tokens.ts';

export async function createTokenAudited(
	event: RequestEvent,
	userId: string,
	input: { name: string; scope: TokenScope; expiresAt: Date | null }
): Promise<{ token: ApiTokenDto; secret: string }> {
	return changeWithEvents(event.locals.ctx, requestSource(event), async (tx) => {
		const created = await createApiToken(tx, { userId, ...input });
		const { token } = created;
		return {
			result: created,
			events: [
				{
					type: 'token.created',
					entityType: 'token',
					entityId: token.id,
					payload: { name: token.name, scope: token.scope, expiresAt: token.expiresAt }
				}
			]
		};
	});
}

/** False when the user has no such live token (nothing is recorded then). */
export async function revokeTokenAudited(
	event: RequestEvent,
	userId: string,
	tokenId: string
): Promise<boolean> {
	return changeWithEvents(event.locals.ctx, requestSource(event), async (tx) => {
		const revoked = await revokeApiToken(tx, userId, tokenId);
		return {
			result: revoked,
			events: revoked
				? [{ type: 'token.revoked', entityType: 'token' as const, entityId: tokenId }]
				: []
		};
	});
}
