import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// JSON endpoints do their own Origin check (see src/lib/server/http/origin.ts):
		// Kit's built-in check covers form content types only.
		csrf: { trustedOrigins: [] }
	},
	compilerOptions: { runes: true }
};

export default config;
