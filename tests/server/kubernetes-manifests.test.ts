/**
 * deploy/kubernetes: every manifest parses, every environment variable it sets is one the app's
 * configuration reads (learnt from readConfig itself, so a renamed key fails here), the names
 * and ports that tie the objects together match, and the probe paths answer 200 on a real app.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readConfig } from '../../src/lib/server/config.ts';
import { startTestApp, type TestApp } from './support/app.ts';

const dir = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));

type Manifest = { file: string; kind: string; metadata: { name: string }; [key: string]: any };

function loadManifests(): Manifest[] {
	return readdirSync(dir)
		.filter((file) => file.endsWith('.yaml'))
		.flatMap((file) =>
			parseAllDocuments(readFileSync(dir + file, 'utf8')).map((doc) => {
				expect(doc.errors, file).toEqual([]);
				return { ...(doc.toJS() as Manifest), file };
			})
		);
}

/** The variable names readConfig reads: it is run on an environment that records each read. */
function configKeys(): Set<string> {
	const read = new Set<string>();
	const recorder = new Proxy({} as Record<string, string | undefined>, {
		get(_, name) {
			if (typeof name === 'string') read.add(name);
			return undefined;
		}
	});
	readConfig(recorder, '/');
	return read;
}

const manifests = loadManifests();

function one(kind: string): Manifest {
	const found = manifests.filter((m) => m.kind === kind && m.file !== 'kustomization.yaml');
	expect(found, kind).toHaveLength(1);
	return found[0]!;
}

const deployment = one('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const configMap = one('ConfigMap');
const secret = one('Secret');
const service = one('Service');
const ingress = one('Ingress');

/** Every variable the container gets: its own `env` and whole ConfigMaps and Secrets. */
function containerEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const from of container.envFrom ?? []) {
		if (from.configMapRef) {
			expect(from.configMapRef.name).toBe(configMap.metadata.name);
			Object.assign(env, configMap.data);
		}
		if (from.secretRef) {
			expect(from.secretRef.name).toBe(secret.metadata.name);
			Object.assign(env, secret.stringData);
		}
	}
	for (const entry of container.env ?? []) env[entry.name] = entry.value ?? '';
	return env;
}

function containerPort(port: string | number): number {
	if (typeof port === 'number') return port;
	const named = container.ports.find((p: { name: string }) => p.name === port);
	expect(named, `container port ${port}`).toBeDefined();
	return named.containerPort;
}

describe('Kubernetes manifests', () => {
	it('lists every manifest but the Secret template in the kustomization', () => {
		const kustomization = manifests.find((m) => m.file === 'kustomization.yaml')!;
		const files = [...new Set(manifests.map((m) => m.file))].filter(
			(f) => f !== 'kustomization.yaml' && f !== 'secret.template.yaml'
		);
		expect([...kustomization.resources].sort()).toEqual(files.sort());
	});

	it('sets only environment variables the app reads, with values it accepts', () => {
		const known = configKeys();
		// A sanity check of the recorder itself.
		expect(known).toContain('DATABASE_URL');
		expect(known).toContain('EVENT_RETENTION_DAYS');
		const env = containerEnv();
		expect(Object.keys(env).length).toBeGreaterThan(3);
		for (const name of Object.keys(env)) expect(known, `${name} is not a setting`).toContain(name);
		// Throws a ConfigError naming the variable if a value is malformed.
		const config = readConfig(env, '/');
		expect(config.databaseUrl).not.toBeNull();
		expect(new URL(config.origin!).host).toBe(ingress.spec.rules[0].host);
	});

	it('ties ports and names together', () => {
		const port = containerPort('http');
		expect(String(port)).toBe(containerEnv().PORT);
		for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
			expect(containerPort(container[probe].httpGet.port), probe).toBe(port);
		}
		const servicePort = service.spec.ports[0];
		expect(containerPort(servicePort.targetPort)).toBe(port);
		const labels = deployment.spec.template.metadata.labels;
		expect(deployment.spec.selector.matchLabels).toEqual(labels);
		expect(service.spec.selector).toEqual(labels);
		expect(one('PodDisruptionBudget').spec.selector.matchLabels).toEqual(labels);
		for (const rule of ingress.spec.rules) {
			for (const path of rule.http.paths) {
				const backend = path.backend.service;
				expect(backend.name).toBe(service.metadata.name);
				expect([servicePort.name, servicePort.port]).toContain(
					backend.port.name ?? backend.port.number
				);
			}
		}
		const hpa = one('HorizontalPodAutoscaler');
		expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'taskflow' });
		// The autoscaler owns the count: a Deployment `replicas` would undo its scaling at each apply.
		expect(deployment.spec.replicas).toBeUndefined();
		expect(hpa.spec.minReplicas).toBe(2);
	});

	it('gives the app time for its 10 s shutdown after the preStop pause', () => {
		const [command, seconds] = container.lifecycle.preStop.exec.command;
		expect(command).toBe('sleep');
		expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + 10);
	});

	describe('probes on a real app', () => {
		let app: TestApp;
		beforeAll(async () => {
			app = await startTestApp();
		});
		afterAll(async () => {
			await app?.stop();
		});

		it('answers 200 on every probe path', async () => {
			const paths = ['startupProbe', 'livenessProbe', 'readinessProbe'].map(
				(probe) => container[probe].httpGet.path as string
			);
			expect(paths).toEqual(['/health', '/health', '/health/ready']);
			for (const path of paths) {
				const response = await fetch(new URL(path, app.url));
				expect(response.status, path).toBe(200);
			}
		});
	});
});
