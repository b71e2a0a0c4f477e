import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { taskflowDev } from './server/dev-plugin.ts';

export default defineConfig({
	plugins: [sveltekit(), taskflowDev()],
	server: { port: Number(process.env.PORT ?? 5173) }
});
