/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every sample must belong to
 * a family announced by `# TYPE`, with the suffixes its type allows, and label values are
 * unescaped. Strict so that a malformed exposition fails the test instead of parsing loosely.
 */
export interface Sample {
	name: string;
	labels: Record<string, string>;
	value: number;
}

export interface Family {
	name: string;
	type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
	help: string;
	samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const suffixes: Record<Family['type'], string[]> = {
	counter: ['', '_total'],
	gauge: [''],
	untyped: [''],
	histogram: ['_bucket', '_sum', '_count'],
	summary: ['', '_sum', '_count']
};

function parseLabels(text: string, line: string): Record<string, string> {
	const labels: Record<string, string> = {};
	const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
	let at = 0;
	while (at < text.length) {
		pair.lastIndex = at;
		const match = pair.exec(text);
		if (!match) throw new Error(`bad labels in: ${line}`);
		labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
		at = pair.lastIndex;
	}
	return labels;
}

function parseValue(text: string, line: string): number {
	// Prometheus reads these with Go's ParseFloat, which ignores case (prom-client writes "Nan").
	const special = text.toLowerCase();
	if (special === '+inf' || special === 'inf') return Infinity;
	if (special === '-inf') return -Infinity;
	if (special === 'nan') return NaN;
	const n = Number(text);
	if (text === '' || Number.isNaN(n)) throw new Error(`bad value in: ${line}`);
	return n;
}

export function parseExposition(text: string): Map<string, Family> {
	const families = new Map<string, Family>();
	const helps = new Map<string, string>();
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
		if (meta) {
			const [, kind, name, rest] = meta as unknown as [string, string, string, string];
			if (!metricName.test(name)) throw new Error(`bad metric name: ${line}`);
			if (kind === 'HELP') helps.set(name, rest);
			else {
				if (!(rest in suffixes)) throw new Error(`bad type: ${line}`);
				if (families.has(name)) throw new Error(`family declared twice: ${name}`);
				families.set(name, { name, type: rest as Family['type'], help: '', samples: [] });
			}
			continue;
		}
		if (line.startsWith('#')) continue;
		const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
		if (!sample) throw new Error(`bad sample line: ${line}`);
		const [, name, labelText, valueText] = sample as unknown as [string, string, string, string];
		const family = [...families.values()].find(
			(f) => name.startsWith(f.name) && suffixes[f.type].includes(name.slice(f.name.length))
		);
		if (!family) throw new Error(`sample without a declared family: ${line}`);
		const labels = labelText ? parseLabels(labelText, line) : {};
		if (name.endsWith('_bucket') && family.type === 'histogram' && labels.le === undefined) {
			throw new Error(`bucket without le: ${line}`);
		}
		family.samples.push({ name, labels, value: parseValue(valueText, line) });
	}
	for (const family of families.values()) family.help = helps.get(family.name) ?? '';
	return families;
}
