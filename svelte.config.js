import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// hooks.server.ts checks the Origin of every unsafe request itself (forms and JSON alike),
		// so API callers get problem+json instead of Kit's plain-text refusal.
		csrf: { trustedOrigins: ['*'] },
		// Pages' Content-Security-Policy (docs/architecture.md, "Layers, hooks and security
		// headers"). 'auto': a nonce on Kit's inline bootstrap script for rendered pages, hashes
		// for prerendered ones. Other security headers are set in src/lib/server/http/handles.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				// Svelte renders `style:` directives (avatar colours, the drag ghost) and app.html's
				// wrapper as style attributes; attributes cannot load anything or select elements.
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				// CSP3: 'self' also matches ws:/wss: on this host, i.e. the /collab websocket.
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	},
	compilerOptions: { runes: true }
};

export default config;
