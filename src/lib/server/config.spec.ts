import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

const cwd = path.resolve('/srv/taskflow');

/** Reads `env` and returns the ConfigError it throws (failing when it throws nothing else). */
function problemWith(env: Record<string, string>): ConfigError {
	try {
		readConfig(env, cwd);
	} catch (error) {
		expect(error).toBeInstanceOf(ConfigError);
		return error as ConfigError;
	}
	throw new Error(`readConfig accepted ${JSON.stringify(env)}`);
}

describe('readConfig', () => {
	it('has working defaults for an empty environment', () => {
		expect(readConfig({}, cwd)).toMatchObject({
			databaseUrl: null,
			redisUrl: null,
			mongodbUrl: null,
			eventRetentionDays: null,
			port: 3000,
			host: '0.0.0.0',
			origin: null,
			dataDir: path.join(cwd, 'data'),
			logLevel: 'info',
			logFormat: 'auto',
			addressHeader: null,
			wsMaxPayload: 2 * 1024 * 1024,
			wsAuthTimeoutMs: 10_000,
			wsMaxPendingPerAddress: 20,
			wsMessageRate: 100,
			wsMessageBurst: 500,
			wsByteRate: 1024 * 1024,
			wsByteBurst: 8 * 1024 * 1024,
			wsSendBacklog: 4 * 1024 * 1024,
			wsSendStallMs: 30_000,
			boardUpdateChecks: true,
			boardMaxCards: 10_000,
			boardMaxColumns: 200,
			loginMaxPerAccount: 5,
			loginMaxPerIp: 20,
			loginWindowMs: 900_000,
			rowSyncMs: 2000,
			principalCacheMs: 60_000,
			metricsToken: null,
			metricsPort: null,
			metricsHost: '127.0.0.1',
			webhookAllowPrivate: false,
			webhookRetryBaseMs: 10_000,
			webhookRetryForMs: 86_400_000,
			webhookTimeoutMs: 10_000,
			webhookLogDays: 30
		});
	});

	it('reads the metrics settings', () => {
		const token = 'a-scrape-token-of-32-characters!';
		expect(readConfig({ METRICS_TOKEN: ` ${token} ` }, cwd)).toMatchObject({
			metricsToken: token,
			metricsPort: null
		});
		expect(readConfig({ METRICS_PORT: '9464' }, cwd)).toMatchObject({
			metricsToken: null,
			metricsPort: 9464
		});
		expect(readConfig({ METRICS_PORT: '0', PORT: '0' }, cwd).metricsPort).toBe(0);
		// Loopback unless asked: that listener needs no token.
		expect(readConfig({ METRICS_PORT: '9464' }, cwd).metricsHost).toBe('127.0.0.1');
		expect(readConfig({ METRICS_HOST: '0.0.0.0' }, cwd).metricsHost).toBe('0.0.0.0');
	});

	it('treats blank values as unset', () => {
		const config = readConfig(
			{ DATABASE_URL: '  ', PORT: '', ORIGIN: ' ', LOG_LEVEL: '', DATA_DIR: '' },
			cwd
		);
		expect(config.databaseUrl).toBeNull();
		expect(config.port).toBe(3000);
		expect(config.origin).toBeNull();
		expect(config.logLevel).toBe('info');
		expect(config.dataDir).toBe(path.join(cwd, 'data'));
	});

	it('reads valid values', () => {
		const config = readConfig(
			{
				DATABASE_URL: 'postgresql://u:p@db:5432/taskflow',
				REDIS_URL: 'rediss://cache:6380',
				MONGODB_URL: 'mongodb+srv://cluster.example.net/events',
				EVENT_RETENTION_DAYS: '90',
				PORT: ' 8080 ',
				HOST: '127.0.0.1',
				ORIGIN: 'https://boards.example.com/some/path',
				DATA_DIR: 'var/tf',
				LOG_LEVEL: 'silent',
				ADDRESS_HEADER: 'X-Forwarded-For',
				WS_MAX_PAYLOAD: '4096',
				LOGIN_MAX_PER_ACCOUNT: '3',
				LOGIN_MAX_PER_IP: '50',
				LOGIN_WINDOW_SECONDS: '60',
				ROW_SYNC_MS: '250'
			},
			cwd
		);
		expect(config).toMatchObject({
			databaseUrl: 'postgresql://u:p@db:5432/taskflow',
			redisUrl: 'rediss://cache:6380',
			mongodbUrl: 'mongodb+srv://cluster.example.net/events',
			eventRetentionDays: 90,
			port: 8080,
			host: '127.0.0.1',
			origin: 'https://boards.example.com',
			dataDir: path.join(cwd, 'var/tf'),
			logLevel: 'silent',
			addressHeader: 'x-forwarded-for',
			wsMaxPayload: 4096,
			loginMaxPerAccount: 3,
			loginMaxPerIp: 50,
			loginWindowMs: 60_000,
			rowSyncMs: 250
		});
		expect(readConfig({ DATABASE_URL: 'postgres://localhost/x' }, cwd).databaseUrl).toBe(
			'postgres://localhost/x'
		);
		expect(readConfig({ REDIS_URL: 'redis://localhost:6379' }, cwd).redisUrl).toBe(
			'redis://localhost:6379'
		);
		expect(readConfig({ MONGODB_URL: 'mongodb://localhost/tf' }, cwd).mongodbUrl).toBe(
			'mongodb://localhost/tf'
		);
		expect(readConfig({ DATA_DIR: '/abs/dir' }, cwd).dataDir).toBe(path.resolve('/abs/dir'));
		expect(readConfig({ PORT: '0' }, cwd).port).toBe(0);
		expect(readConfig({ EVENT_RETENTION_DAYS: '0' }, cwd).eventRetentionDays).toBeNull();
		expect(readConfig({ PORT: '65535' }, cwd).port).toBe(65535);
	});

	it.each([
		['DATABASE_URL', 'not a url'],
		['DATABASE_URL', 'mysql://db/taskflow'],
		['DATABASE_URL', 'http://db:5432/taskflow'],
		['REDIS_URL', 'localhost 6379'],
		['REDIS_URL', 'http://cache:6379'],
		['MONGODB_URL', 'mongo'],
		['MONGODB_URL', 'postgres://db/events'],
		['PORT', 'abc'],
		['PORT', '-1'],
		['PORT', '65536'],
		['PORT', '3.5'],
		['PORT', '1e3'],
		['PORT', '0x50'],
		['PORT', '99999999999999999999'],
		['ORIGIN', 'boards.example.com'],
		['ORIGIN', 'ftp://boards.example.com'],
		['ORIGIN', 'not a url'],
		['LOG_LEVEL', 'verbose'],
		['LOG_LEVEL', 'warning'],
		['LOG_FORMAT', 'yaml'],
		['WS_MAX_PAYLOAD', '10'],
		['WS_AUTH_TIMEOUT_MS', '0'],
		['WS_MESSAGE_RATE', 'fast'],
		['WS_BYTE_BURST', '2048'],
		['WS_SEND_BACKLOG', '1024'],
		['WS_SEND_STALL_MS', '10'],
		['BOARD_UPDATE_CHECKS', 'maybe'],
		['BOARD_MAX_CARDS', '0'],
		['LOGIN_MAX_PER_ACCOUNT', '0'],
		['LOGIN_WINDOW_SECONDS', 'forever'],
		['ROW_SYNC_MS', '0'],
		['ROW_SYNC_MS', '2s'],
		['EVENT_RETENTION_DAYS', '-1'],
		['EVENT_RETENTION_DAYS', '30d'],
		['EVENT_RETENTION_DAYS', '36501'],
		['METRICS_TOKEN', 'short'],
		['METRICS_TOKEN', 'sixteen chars or more but spaced'],
		['METRICS_PORT', '65536'],
		['METRICS_PORT', 'metrics'],
		['METRICS_PORT', '3000']
	])('rejects %s=%j with a ConfigError naming it', (name, value) => {
		const error = problemWith({ [name]: value });
		expect(error.variable).toBe(name);
		expect(error.message.startsWith(`${name}: `)).toBe(true);
		expect(error.message).not.toContain('\n');
		expect(error.name).toBe('ConfigError');
	});

	it('names the variable that is wrong when others are fine', () => {
		const error = problemWith({
			DATABASE_URL: 'postgres://db/taskflow',
			REDIS_URL: 'redis://cache',
			PORT: '70000'
		});
		expect(error.variable).toBe('PORT');
		expect(error.message).toContain('70000');
	});

	it('reads process.env by default', () => {
		const saved = process.env.PORT;
		process.env.PORT = 'not-a-port';
		try {
			expect(() => readConfig()).toThrow(ConfigError);
		} finally {
			if (saved === undefined) delete process.env.PORT;
			else process.env.PORT = saved;
		}
	});
});
