import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// hooks.server.ts checks the Origin of every unsafe request itself (forms and JSON alike),
		// so API callers get problem+json instead of Kit's plain-text refusal.
		csrf: { trustedOrigins: ['*'] }
	},
	compilerOptions: { runes: true }
};

export default config;
