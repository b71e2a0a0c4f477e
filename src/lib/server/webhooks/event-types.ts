/**
 * Which events a webhook asks for: exact types (`task.created`) or a whole group (`task.*`).
 * Only board content is offered: account and sign-in events stay inside the workspace.
 */
export const webhookEventGroups = ['task', 'column', 'comment', 'member', 'board'] as const;

const pattern = /^(task|column|comment|member|board)\.(\*|[a-z][a-z_]{0,48})$/;

export function isWebhookEventPattern(value: string): boolean {
	return pattern.test(value);
}

/** Whether `type` is one of `patterns` (the SQL that queues deliveries applies the same rule). */
export function matchesEventPatterns(patterns: readonly string[], type: string): boolean {
	return patterns.some((p) => p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}
