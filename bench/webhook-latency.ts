/**
 * Webhook delivery latency: from a change to its delivery arriving at a receiver on loopback,
 * for a task created over the REST API and for one created in a live (websocket) client. The
 * reference, measured in the same run, is a plain POST from this process to the same receiver.
 * Run: `node bench/webhook-latency.ts [changes]` (needs PostgreSQL; throwaway database).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTask, readBoard } from '../src/lib/domain/board/index.ts';
import { startTestApp } from '../tests/server/support/app.ts';
import { connect } from '../tests/server/support/collab.ts';
import { client, createBoard, signUp } from '../tests/server/support/http.ts';
import { percentile } from './stats.ts';

const changes = Number(process.argv[2] ?? 30);
const arrivals = new Map<string, (at: number) => void>();
const receiver = createServer((req, res) => {
	let body = '';
	req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
	req.on('end', () => {
		res.writeHead(204).end();
		const event = JSON.parse(body || '{}') as { type?: string; entityId?: string };
		if (event.type === 'task.created' && event.entityId)
			arrivals.get(event.entityId)?.(performance.now());
	});
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const arrival = (id: string) => new Promise<number>((resolve) => arrivals.set(id, resolve));

const t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
const api = client(t.url);
const ana = await signUp(api, 'Bench');
const board = await createBoard(api, ana, 'Webhook latency');
const hook = await api.post(
	`/api/v1/boards/${board.id}/webhooks`,
	{ url, events: ['task.created'] },
	{ token: ana.token }
);
if (hook.status !== 201) throw new Error(`hook: ${hook.status}`);

const reference: number[] = [];
for (let i = 0; i < changes; i++) {
	const started = performance.now();
	await fetch(url, { method: 'POST', body: '{}' });
	reference.push(performance.now() - started);
}

const rest: number[] = [];
for (let i = 0; i < changes; i++) {
	const started = performance.now();
	const res = await api.post(
		`/api/v1/boards/${board.id}/tasks`,
		{ title: `rest ${i}` },
		{ token: ana.token }
	);
	rest.push((await arrival(res.body.id)) - started);
}

const live: number[] = [];
const p = connect(t.url, board.id, { token: ana.token });
await p.ready;
const columnId = readBoard(p.doc).columns[0]!.id;
for (let i = 0; i < Math.min(changes, 10); i++) {
	const started = performance.now();
	const id = createTask(p.doc, { columnId, title: `live ${i}` }, { actorId: ana.id });
	live.push((await arrival(id)) - started);
}
p.destroy();

const line = (name: string, samples: number[]) => {
	const s = [...samples].sort((a, b) => a - b);
	return `${name.padEnd(34)} n ${String(s.length).padStart(3)}  p50 ${percentile(s, 50).toFixed(1).padStart(8)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(8)} ms`;
};
console.log('change -> webhook delivery at a loopback receiver');
console.log(line('reference: plain POST to receiver', reference));
console.log(line('task created over REST', rest));
console.log(line('task created in a live client', live));
await t.stop();
receiver.close();
process.exit(0);
