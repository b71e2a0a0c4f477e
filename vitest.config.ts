import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts: tests need neither the SvelteKit plugin nor the dev runtime.
export default defineConfig({
	test: {
		projects: [
			{
				// State classes import `$lib` as the app does; SvelteKit's plugin is not loaded here.
				resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
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
