/**
 * Which events a webhook asks for: exact types (`task.created`) or a whole group (`task.*`).
 * Only board content is offered: account and sign-in events stay inside the workspace.
 */
import { auditEventTypes } from '../../api/audit.ts';

export const webhookEventGroups = ['task', 'column', 'comment', 'member', 'board'] as const;

const groups = new Set<string>(webhookEventGroups);

/** Exact types a hook may name: those recorded in its groups (`task.nope` would never fire). */
export const webhookEventTypes: readonly string[] = auditEventTypes.filter((type) =>
	groups.has(type.slice(0, type.indexOf('.')))
);

const exact = new Set(webhookEventTypes);

export function isWebhookEventPattern(value: string): boolean {
	if (value.endsWith('.*')) return groups.has(value.slice(0, -2));
	return exact.has(value);
}

/** Whether `type` is one of `patterns` (the SQL that queues deliveries applies the same rule). */
export function matchesEventPatterns(patterns: readonly string[], type: string): boolean {
	return patterns.some((p) => p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}
