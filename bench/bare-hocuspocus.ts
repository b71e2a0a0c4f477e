/**
 * The reference server of bench/collab-load.ts: Hocuspocus 4's own `Server` with its defaults,
 * no authentication and no database. Documents live in memory (stored there by Hocuspocus's
 * usual debounced `onStoreDocument`) and are written to STATE_DIR on SIGTERM and read back at
 * start, so a restart finds the boards it had, as TaskFlow does. Prints `listening on <port>`.
 * Run by the benchmark: `PORT=… STATE_DIR=… node bench/bare-hocuspocus.ts`.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import * as Y from 'yjs';

const stateDir = process.env.STATE_DIR;
if (!stateDir) throw new Error('STATE_DIR is required');
mkdirSync(stateDir, { recursive: true });

const states = new Map<string, Uint8Array>();
for (const file of readdirSync(stateDir)) {
	states.set(decodeURIComponent(file), readFileSync(path.join(stateDir, file)));
}

const server = new Server({
	port: Number(process.env.PORT ?? 0),
	address: '127.0.0.1',
	quiet: true,
	stopOnSignals: false,
	extensions: [
		{
			async onLoadDocument({ documentName, document }) {
				const state = states.get(documentName);
				if (state) Y.applyUpdate(document, state);
			},
			async onStoreDocument({ documentName, document }) {
				states.set(documentName, Y.encodeStateAsUpdate(document));
			}
		}
	]
});

await server.listen();
console.log(`bare hocuspocus listening on ${server.address.port}`);

process.on('SIGTERM', () => {
	void server.destroy().then(() => {
		for (const [name, state] of states) {
			writeFileSync(path.join(stateDir, encodeURIComponent(name)), state);
		}
		process.exit(0);
	});
});
