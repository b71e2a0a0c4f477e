/**
 * The one-line form of a log record for a person at a terminal (`npm start` in a shell):
 * pino-pretty adds the time and level, this writes the rest. A request reads like an access
 * log line; other records print their message and then their fields as key=value. Machines
 * (anything that is not a TTY) get pino's JSON unchanged.
 */

/** Present on every record and meaningless to a person reading one process's output. */
const hidden = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'requestId']);

function show(value: unknown): string {
	if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
	return JSON.stringify(value) ?? String(value);
}

function fields(record: Record<string, unknown>, skip: readonly string[] = []): string {
	return Object.entries(record)
		.filter(([key, value]) => !hidden.has(key) && !skip.includes(key) && value !== undefined)
		.map(([key, value]) => ` ${key}=${show(value)}`)
		.join('');
}

/** `GET /boards 200 12 ms from 203.0.113.7 user=…`, or `message key=value …`. */
export function formatRecord(record: Record<string, unknown>): string {
	const err = record.err as { message?: string; stack?: string } | undefined;
	// The stack on the following lines: the one place where one line is not enough.
	const stack = err?.stack ? `\n${err.stack}` : err?.message ? ` (${err.message})` : '';
	if (record.msg === 'request') {
		const { method, path, status, ms, address } = record;
		const from = address ? ` from ${String(address)}` : '';
		const rest = fields(record, ['method', 'path', 'status', 'ms', 'address', 'ua']);
		return `${String(method)} ${String(path)} ${String(status)} ${String(ms)} ms${from}${rest}`;
	}
	return `${String(record.msg ?? '')}${fields(record, ['err'])}${stack}`;
}

/** How long a startup phase took, for a person: `37 s`, or `1.4 s` below ten seconds. */
export function seconds(ms: number): string {
	return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
