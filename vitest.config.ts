import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts: tests need neither the SvelteKit plugin nor the dev runtime.
export default defineConfig({
	test: {
		projects: [
			{
				test: {
					name: 'unit',
					include: ['src/**/*.spec.ts', 'server/**/*.spec.ts', 'tests/unit/**/*.spec.ts'],
					environment: 'node'
				}
			},
			{
				test: {
					name: 'server',
					include: ['tests/server/**/*.test.ts'],
					globalSetup: ['tests/server/support/global-setup.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// Each file starts its own server and database; two at a time fits 2 cores.
					maxWorkers: 2
				}
			}
		]
	}
});
