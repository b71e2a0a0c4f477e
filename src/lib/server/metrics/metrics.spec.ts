import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';

const line = (text: string, prefix: string) =>
	text.split('\n').find((l) => l.startsWith(prefix)) ?? null;

describe('Metrics', () => {
	it('keeps each instance in a registry of its own', async () => {
		const one = new Metrics();
		const two = new Metrics();
		one.tasksCreated.value += 3;
		one.loginThrottled.inc();
		expect(line(await one.expose(), 'taskflow_tasks_created_total ')).toBe(
			'taskflow_tasks_created_total 3'
		);
		expect(line(await two.expose(), 'taskflow_tasks_created_total ')).toBe(
			'taskflow_tasks_created_total 0'
		);
		expect(line(await two.expose(), 'taskflow_login_throttled_total ')).toBe(
			'taskflow_login_throttled_total 0'
		);
	});

	it('copies tallies whole at each scrape, by label', async () => {
		const metrics = new Metrics();
		metrics.updatesReceived.websocket.value = 5;
		await metrics.expose();
		metrics.updatesReceived.websocket.value = 7;
		metrics.updatesReceived.redis.value = 1;
		const text = await metrics.expose();
		expect(line(text, 'taskflow_board_updates_received_total{source="websocket"}')).toBe(
			'taskflow_board_updates_received_total{source="websocket"} 7'
		);
		expect(line(text, 'taskflow_board_updates_received_total{source="redis"}')).toBe(
			'taskflow_board_updates_received_total{source="redis"} 1'
		);
	});

	it('reports live gauges from their sources, and nothing from the database until wired', async () => {
		const metrics = new Metrics();
		metrics.watch({
			websocketConnections: () => 4,
			authenticatedConnections: () => 3,
			boardsLoaded: () => 2
		});
		const text = await metrics.expose();
		expect(line(text, 'taskflow_websocket_connections ')).toBe('taskflow_websocket_connections 4');
		expect(line(text, 'taskflow_boards_loaded ')).toBe('taskflow_boards_loaded 2');
		expect(line(text, 'taskflow_tasks_overdue ')).toBe('taskflow_tasks_overdue 0');
	});
});
