import { describe, expect, it } from 'vitest';
import { keptPageFate, namedBuiltFiles, oldCaches, runsOnBuild } from './kept-pages.ts';
import { keptPageCache, keptPageKey, keptPageOwner } from './local-names.ts';

/** A board page as SvelteKit renders it: relative links to the build's hashed files. */
const page = (start: string, node: string) => `<!doctype html><html><head>
<link href="../_app/immutable/assets/0.D5aJTBg6.css" rel="stylesheet">
<link rel="modulepreload" href="../_app/immutable/entry/${start}">
<link rel="modulepreload" href="../_app/immutable/nodes/${node}">
</head><body><script>
	Promise.all([import("../_app/immutable/entry/${start}"), import("../_app/immutable/entry/app.X1.js")])
		.then(([kit, app]) => kit.start(app, document.body, { node_ids: [0, 7] }));
</script></body></html>`;

const build = [
	'/_app/immutable/assets/0.D5aJTBg6.css',
	'/_app/immutable/entry/start.AAA.js',
	'/_app/immutable/entry/app.X1.js',
	'/_app/immutable/nodes/7.BBB.js',
	'/favicon.svg'
];

describe('kept pages across worker versions', () => {
	it('finds the built files a page names, however it writes their path', () => {
		expect(namedBuiltFiles(page('start.AAA.js', '7.BBB.js')).sort()).toEqual([
			'_app/immutable/assets/0.D5aJTBg6.css',
			'_app/immutable/entry/app.X1.js',
			'_app/immutable/entry/start.AAA.js',
			'_app/immutable/nodes/7.BBB.js'
		]);
	});

	it('says a page runs on a build only when the build holds every file it names', () => {
		expect(runsOnBuild(page('start.AAA.js', '7.BBB.js'), build)).toBe(true);
		// The same build under a base path (`/app/_app/…`) still holds them.
		expect(
			runsOnBuild(
				page('start.AAA.js', '7.BBB.js'),
				build.map((f) => `/app${f}`)
			)
		).toBe(true);
		// One changed file (the board route's code) and the page is of another build.
		expect(runsOnBuild(page('start.AAA.js', '7.CCC.js'), build)).toBe(false);
		expect(runsOnBuild(page('start.ZZZ.js', '7.BBB.js'), build)).toBe(false);
	});

	it('keeps pages that run, renews the signed-in user’s others and drops the rest', () => {
		expect(keptPageFate({ runs: true, owner: 'u1', currentUser: 'u1' })).toBe('keep');
		expect(keptPageFate({ runs: true, owner: 'u2', currentUser: 'u1' })).toBe('keep');
		expect(keptPageFate({ runs: false, owner: 'u1', currentUser: 'u1' })).toBe('renew');
		expect(keptPageFate({ runs: false, owner: 'u2', currentUser: 'u1' })).toBe('drop');
		expect(keptPageFate({ runs: false, owner: 'u1', currentUser: '' })).toBe('drop');
		expect(keptPageFate({ runs: true, owner: null, currentUser: 'u1' })).toBe('drop');
	});

	it('names the kept-page cache the same for every version; a new one deletes only old caches', () => {
		expect(keptPageCache).toBe('taskflow-pages-kept');
		const names = [
			'taskflow-assets-100',
			'taskflow-assets-200',
			'taskflow-pages-100',
			keptPageCache,
			'taskflow-user',
			'someone-else'
		];
		expect(oldCaches(names, 'taskflow-assets-200', 'taskflow-assets-')).toEqual({
			stale: ['taskflow-assets-100', 'taskflow-pages-100'],
			legacyPageCaches: ['taskflow-pages-100']
		});
	});

	it('reads the page and the user back from a kept page’s key', () => {
		const path = '/boards/0b5c3c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
		const key = new URL(keptPageKey(path, 'user 1/ü'), 'https://taskflow.example').href;
		expect(keptPageOwner(key)).toEqual({ path, userId: 'user 1/ü' });
		expect(keptPageOwner('https://taskflow.example/boards/x')).toBeNull();
	});
});
