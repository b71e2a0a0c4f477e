/**
 * Configuration is read from the environment once, at startup, and validated here so a bad
 * value stops the process with one line naming the variable instead of failing later.
 */
import path from 'node:path';

export interface Config {
	/** PostgreSQL URL; unset means embedded PGlite under `dataDir`. */
	databaseUrl: string | null;
	/** Redis URL; unset means a single instance with in-memory equivalents. */
	redisUrl: string | null;
	/** MongoDB URL for the event log; unset means the PostgreSQL adapter. */
	mongodbUrl: string | null;
	/**
	 * PostgreSQL database for the event log's PostgreSQL adapter when it should not live in the
	 * main database; unset means the main database.
	 */
	eventLogDatabaseUrl: string | null;
	/** Audit events (outbox, relay, board event derivation); off only to measure their cost. */
	eventLogEnabled: boolean;
	/** One actor's edits to the same fields of one card within this window make one event. */
	eventBurstMs: number;
	/** Version history: at most one automatic checkpoint per board this often (ms). */
	versionCheckpointMs: number;
	/** Automatic checkpoints older than this many days are pruned; named versions are kept. */
	versionRetentionDays: number;
	/** And at most this many automatic checkpoints are kept per board. */
	versionMaxCheckpoints: number;
	/**
	 * Named versions a board may hold (each is the whole document, and they are never pruned);
	 * naming one more is refused with a 409.
	 */
	versionMaxNamed: number;
	/**
	 * Events older than this many days are deleted (a TTL index in MongoDB, a leader-run job
	 * otherwise); null keeps all.
	 */
	eventRetentionDays: number | null;
	port: number;
	host: string;
	/** Public origin of the app (scheme://host[:port]); unset means derived from each request. */
	origin: string | null;
	/** Where embedded data lives. */
	dataDir: string;
	logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
	/** `auto`: readable lines at a terminal, JSON otherwise; `json` or `pretty` always. */
	logFormat: 'auto' | 'json' | 'pretty';
	/** Header holding the client address when behind a trusted proxy (adapter-node semantics). */
	addressHeader: string | null;
	/** Largest websocket frame accepted, in bytes. */
	wsMaxPayload: number;
	/** A websocket that has authenticated no document this long after opening is closed. */
	wsAuthTimeoutMs: number;
	/** Unauthenticated websockets at once per client address. */
	wsMaxPendingPerAddress: number;
	/** Per websocket: sustained messages per second and the burst above it. */
	wsMessageRate: number;
	wsMessageBurst: number;
	/** Per websocket: sustained bytes per second and the burst above it (at least wsMaxPayload). */
	wsByteRate: number;
	wsByteBurst: number;
	/** Boards one websocket may open, and distinct boards one user may hold open per instance. */
	wsMaxDocumentsPerSocket: number;
	wsMaxBoardsPerUser: number;
	/** Unsent bytes above which a websocket must keep draining, and the window it has to. */
	wsSendBacklog: number;
	wsSendStallMs: number;
	/**
	 * Refuse websocket updates that break the board document contract (default on). Off only as
	 * an escape hatch should a legitimate client's updates be refused.
	 */
	boardUpdateChecks: boolean;
	/** Card entries a board may hold; websocket updates adding more are refused. */
	boardMaxCards: number;
	/** Column entries a board may hold. */
	boardMaxColumns: number;
	/** Failed logins per account before 429, within `loginWindowMs`. */
	loginMaxPerAccount: number;
	/** Failed logins per client address before 429, within `loginWindowMs`. */
	loginMaxPerIp: number;
	loginWindowMs: number;
	/** Origins whose pages may call the API with a bearer token (CORS); cookies stay same-origin. */
	corsOrigins: string[];
	/** API requests per window, per token (token callers) or per client address (others). */
	apiRateLimit: number;
	apiRateWindowMs: number;
	/** Write-ahead log for board updates; off only to measure its cost. */
	walEnabled: boolean;
	/**
	 * How long the write-ahead log gathers appends into one statement (ms): longer means fewer
	 * commits under load and later acknowledgements (never later delivery to other clients).
	 */
	walWindowMs: number;
	/**
	 * How soon a live edit reaches the board's `tasks`/`board_columns` rows (ms; a title: half
	 * a second). The reads that show rows write the pending ones first, so this bounds what SQL
	 * readers outside a request see (the due-date scan, `/metrics`) and reads on an instance
	 * that does not hold the board; longer means fewer row writes under load.
	 */
	rowSyncMs: number;
	/**
	 * How long a request's session or token may be answered from memory (ms; 0: read every
	 * time). Revocations evict at once on every instance (auth/principal-cache.ts); this bounds
	 * the rest: lucia's sliding expiry and a token's last-used time are written on a read.
	 */
	principalCacheMs: number;
	/** Redis store-lock lifetime; must outlast the slowest board store. */
	storeLockMs: number;
	/** How often the due-date reminder scan runs (on one instance cluster-wide); 0 turns it off. */
	dueScanMs: number;
	/**
	 * Bearer token a Prometheus scrape of `/metrics` must present. With `metricsPort` unset,
	 * `/metrics` is served on the app's port to holders of this token only.
	 */
	metricsToken: string | null;
	/**
	 * A separate listener (on `metricsHost`) that serves only `/metrics`; the app's port then
	 * answers 404 there. 0 picks a free port (tests). With neither this nor the token, metrics
	 * are off.
	 */
	metricsPort: number | null;
	/**
	 * Where that listener binds: loopback unless set, since it asks no token when none is
	 * configured (a Prometheus in another container or pod needs `0.0.0.0` and a private
	 * network, or the token).
	 */
	metricsHost: string;
	/** Let webhooks reach loopback and private addresses (tests, on-premise receivers). */
	webhookAllowPrivate: boolean;
	/** First retry of a failed delivery; each further one waits twice as long (at most an hour). */
	webhookRetryBaseMs: number;
	/** How long a delivery is retried before it fails and its hook is switched off. */
	webhookRetryForMs: number;
	/** How long a receiver has to answer one delivery. */
	webhookTimeoutMs: number;
	/** Finished deliveries stay in a hook's log this long. */
	webhookLogDays: number;
}

export class ConfigError extends Error {
	readonly variable: string;

	constructor(variable: string, problem: string) {
		super(`${variable}: ${problem}`);
		this.variable = variable;
		this.name = 'ConfigError';
	}
}

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | null {
	const value = env[name]?.trim();
	return value ? value : null;
}

function url(env: Env, name: string, protocols: string[]): string | null {
	const value = optional(env, name);
	if (value === null) return null;
	let parsed: URL;
	try {
		parsed = new URL(value);
	} catch {
		throw new ConfigError(name, `"${value}" is not a URL`);
	}
	if (!protocols.includes(parsed.protocol)) {
		throw new ConfigError(
			name,
			`expected a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`
		);
	}
	return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
	const value = optional(env, name);
	if (value === null) return fallback;
	if (!/^\d+$/.test(value)) throw new ConfigError(name, `"${value}" is not a whole number`);
	const n = Number(value);
	if (n < min || n > max) throw new ConfigError(name, `${n} is outside ${min}..${max}`);
	return n;
}

function origins(env: Env, name: string): string[] {
	const value = optional(env, name);
	if (value === null) return [];
	return value.split(',').map((entry) => {
		const candidate = entry.trim();
		try {
			const parsed = new URL(candidate);
			if (
				(parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
				parsed.origin === candidate
			) {
				return candidate;
			}
		} catch {
			// reported below
		}
		throw new ConfigError(name, `"${candidate}" is not an origin like https://app.example.com`);
	});
}

function flag(env: Env, name: string, fallback: boolean): boolean {
	const value = optional(env, name)?.toLowerCase();
	if (value === undefined || value === null) return fallback;
	if (['on', 'true', '1', 'yes'].includes(value)) return true;
	if (['off', 'false', '0', 'no'].includes(value)) return false;
	throw new ConfigError(name, `"${value}" is not on or off`);
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const logFormats = ['auto', 'json', 'pretty'] as const;

export function readConfig(env: Env = process.env, cwd = process.cwd()): Config {
	const origin = url(env, 'ORIGIN', ['http:', 'https:']);
	const logLevel = optional(env, 'LOG_LEVEL') ?? 'info';
	if (!(logLevels as readonly string[]).includes(logLevel)) {
		throw new ConfigError('LOG_LEVEL', `"${logLevel}" is not one of ${logLevels.join(', ')}`);
	}
	// A container started with a terminal (`docker run -t`) must still be able to log JSON.
	const logFormat = optional(env, 'LOG_FORMAT') ?? 'auto';
	if (!(logFormats as readonly string[]).includes(logFormat)) {
		throw new ConfigError('LOG_FORMAT', `"${logFormat}" is not one of ${logFormats.join(', ')}`);
	}
	const wsMaxPayload = integer(env, 'WS_MAX_PAYLOAD', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024);
	const wsByteBurst = integer(env, 'WS_BYTE_BURST', 8 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
	if (wsByteBurst < wsMaxPayload) {
		throw new ConfigError(
			'WS_BYTE_BURST',
			`${wsByteBurst} is below WS_MAX_PAYLOAD (${wsMaxPayload})`
		);
	}
	const port = integer(env, 'PORT', 3000, 0, 65535);
	const metricsPort =
		optional(env, 'METRICS_PORT') === null ? null : integer(env, 'METRICS_PORT', 0, 0, 65535);
	if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) {
		throw new ConfigError('METRICS_PORT', `${metricsPort} is the app's own PORT`);
	}
	const metricsHost = optional(env, 'METRICS_HOST') ?? '127.0.0.1';
	const metricsToken = optional(env, 'METRICS_TOKEN');
	// A short token is guessable by a scraper-shaped brute force; 16 characters is the floor.
	if (metricsToken !== null && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
		throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters without spaces');
	}
	return {
		databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
		redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
		mongodbUrl: url(env, 'MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
		eventLogDatabaseUrl: url(env, 'EVENT_LOG_DATABASE_URL', ['postgres:', 'postgresql:']),
		eventLogEnabled: flag(env, 'EVENT_LOG', true),
		eventBurstMs: integer(env, 'EVENT_BURST_MS', 10_000, 100, 600_000),
		versionCheckpointMs: integer(env, 'VERSION_CHECKPOINT_SECONDS', 600, 1, 86_400) * 1000,
		versionRetentionDays: integer(env, 'VERSION_RETENTION_DAYS', 30, 1, 36_500),
		versionMaxCheckpoints: integer(env, 'VERSION_MAX_CHECKPOINTS', 500, 1, 100_000),
		versionMaxNamed: integer(env, 'VERSION_MAX_NAMED', 100, 1, 10_000),
		eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 0, 0, 36_500) || null,
		port,
		host: optional(env, 'HOST') ?? '0.0.0.0',
		origin: origin === null ? null : new URL(origin).origin,
		dataDir: path.resolve(cwd, optional(env, 'DATA_DIR') ?? 'data'),
		logLevel: logLevel as Config['logLevel'],
		logFormat: logFormat as Config['logFormat'],
		addressHeader: optional(env, 'ADDRESS_HEADER')?.toLowerCase() ?? null,
		wsMaxPayload,
		wsAuthTimeoutMs: integer(env, 'WS_AUTH_TIMEOUT_MS', 10_000, 100, 600_000),
		wsMaxPendingPerAddress: integer(env, 'WS_MAX_PENDING_PER_ADDRESS', 20, 1, 100_000),
		wsMessageRate: integer(env, 'WS_MESSAGE_RATE', 100, 1, 1_000_000),
		wsMessageBurst: integer(env, 'WS_MESSAGE_BURST', 500, 1, 10_000_000),
		wsByteRate: integer(env, 'WS_BYTE_RATE', 1024 * 1024, 1024, 1024 * 1024 * 1024),
		wsByteBurst,
		wsMaxDocumentsPerSocket: integer(env, 'WS_MAX_DOCUMENTS_PER_SOCKET', 16, 1, 10_000),
		wsMaxBoardsPerUser: integer(env, 'WS_MAX_BOARDS_PER_USER', 50, 1, 100_000),
		wsSendBacklog: integer(env, 'WS_SEND_BACKLOG', 4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
		wsSendStallMs: integer(env, 'WS_SEND_STALL_MS', 30_000, 100, 600_000),
		boardUpdateChecks: flag(env, 'BOARD_UPDATE_CHECKS', true),
		boardMaxCards: integer(env, 'BOARD_MAX_CARDS', 10_000, 1, 1_000_000),
		boardMaxColumns: integer(env, 'BOARD_MAX_COLUMNS', 200, 1, 10_000),
		loginMaxPerAccount: integer(env, 'LOGIN_MAX_PER_ACCOUNT', 5, 1, 1000),
		loginMaxPerIp: integer(env, 'LOGIN_MAX_PER_IP', 20, 1, 100000),
		loginWindowMs: integer(env, 'LOGIN_WINDOW_SECONDS', 900, 1, 86400) * 1000,
		corsOrigins: origins(env, 'CORS_ORIGINS'),
		apiRateLimit: integer(env, 'API_RATE_LIMIT', 600, 1, 1_000_000),
		apiRateWindowMs: integer(env, 'API_RATE_WINDOW_SECONDS', 60, 1, 86_400) * 1000,
		walEnabled: flag(env, 'WAL', true),
		walWindowMs: integer(env, 'WAL_WINDOW_MS', 40, 0, 1000),
		rowSyncMs: integer(env, 'ROW_SYNC_MS', 2000, 10, 60_000),
		principalCacheMs: integer(env, 'PRINCIPAL_CACHE_MS', 60_000, 0, 600_000),
		storeLockMs: integer(env, 'STORE_LOCK_MS', 10_000, 100, 600_000),
		dueScanMs: integer(env, 'DUE_SCAN_MS', 60_000, 0, 86_400_000),
		metricsToken,
		metricsPort,
		metricsHost,
		webhookAllowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE', false),
		webhookRetryBaseMs: integer(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000),
		webhookRetryForMs: integer(env, 'WEBHOOK_RETRY_FOR_SECONDS', 86_400, 1, 7 * 86_400) * 1000,
		webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
		webhookLogDays: integer(env, 'WEBHOOK_LOG_DAYS', 30, 1, 3650)
	};
}
