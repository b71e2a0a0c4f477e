/**
 * `npm run dev` stays one port: this plugin starts the same runtime as production inside the
 * Vite dev server, gives SvelteKit requests their context, and routes /collab upgrades.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

export function taskflowDev(): Plugin {
	return {
		name: 'taskflow-dev',
		apply: 'serve',
		async configureServer(server) {
			// Loaded natively, not through Vite's config bundle, so it is the same code production runs.
			const load = (file: string) =>
				import(pathToFileURL(path.join(server.config.root, file)).href);
			const { startRuntime } = (await load('server/runtime.ts')) as typeof import('./runtime.ts');
			const { readConfig } = (await load(
				'src/lib/server/config.ts'
			)) as typeof import('../src/lib/server/config.ts');
			const { runWithContext } = (await load(
				'src/lib/server/context.ts'
			)) as typeof import('../src/lib/server/context.ts');
			const { collabPath } = (await load('server/collab.ts')) as typeof import('./collab.ts');
			const { isYWebsocketPath } = (await load(
				'server/y-websocket.ts'
			)) as typeof import('./y-websocket.ts');
			const envFile = path.join(server.config.root, '.env');
			if (existsSync(envFile)) process.loadEnvFile(envFile);
			const runtime = await startRuntime({
				config: readConfig(),
				progress: (m) => server.config.logger.info(`[taskflow] ${m}`)
			});
			const { isMetricsRequest, serveMetrics } = (await load(
				'server/metrics-endpoint.ts'
			)) as typeof import('./metrics-endpoint.ts');
			const { metrics, config, log } = runtime.ctx;
			// With a token only: the dev server opens no second port for METRICS_PORT.
			if (metrics && config.metricsToken && config.metricsPort === null) {
				const serve = serveMetrics({ metrics, token: config.metricsToken, log });
				server.middlewares.use((req, res, next) =>
					isMetricsRequest(req) ? serve(req, res) : next()
				);
			}
			server.middlewares.use((_req, _res, next) => runWithContext(runtime.ctx, next));
			server.httpServer?.on('upgrade', (req, socket, head) => {
				const path = (req.url ?? '').split('?')[0] ?? '';
				if (path === collabPath || isYWebsocketPath(path)) {
					runtime.collab.handleUpgrade(req, socket, head);
				}
			});
			server.httpServer?.on('close', () => void runtime.close());
		}
	};
}
