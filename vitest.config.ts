import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// Separate from vite.config.ts: tests need neither the SvelteKit plugin nor the dev runtime.
export default defineConfig({
	test: {
		projects: [
			{
				// Compiles runes in `*.svelte.ts` state classes for their specs, as the browser runs
				// them (the client build of Svelte, where $state and $derived are reactive).
				plugins: [svelte({ compilerOptions: { runes: true } })],
				resolve: {
					conditions: ['browser'],
					alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) }
				},
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
