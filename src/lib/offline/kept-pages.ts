/**
 * What a newly activated service worker (a deploy) does with the board pages kept by the
 * version before it. Kept pages live in one cache for every version (`keptPageCache`), but a
 * page names the built scripts and styles of the build that rendered it, and the worker holds
 * only its own build's files (they are content-hashed, so an unchanged file keeps its name).
 * A kept page that names only files this worker holds still runs offline and is kept; one that
 * names others would show without ever starting, so it is renewed from the network when it is
 * the signed-in user's (a page asks the new worker once it takes over) and dropped otherwise.
 */
import { keptPageCache, pageCachePrefix } from './local-names.ts';

const builtFile = /_app\/immutable\/[\w.~/-]+/g;

/** `_app/immutable/…` paths, whatever base path or relative prefix they are written with. */
function builtPaths(paths: Iterable<string>): Set<string> {
	const found = new Set<string>();
	for (const path of paths) {
		const at = path.indexOf('_app/immutable/');
		if (at >= 0) found.add(path.slice(at));
	}
	return found;
}

/** The built files a rendered page names (in `_app/immutable/`), without their prefix. */
export function namedBuiltFiles(html: string): string[] {
	return [...new Set(html.match(builtFile) ?? [])];
}

/** Whether a page runs on a build: every built file it names is one of `buildFiles`. */
export function runsOnBuild(html: string, buildFiles: Iterable<string>): boolean {
	const held = builtPaths(buildFiles);
	return namedBuiltFiles(html).every((file) => held.has(file));
}

/** What happens to a kept page when a new worker takes over. */
export type KeptPageFate = 'keep' | 'renew' | 'drop';

export function keptPageFate(page: {
	runs: boolean;
	/** The user it was rendered for (null: a key that is no kept page). */
	owner: string | null;
	/** Who is signed in ('' when nobody). */
	currentUser: string;
}): KeptPageFate {
	if (page.owner === null) return 'drop';
	if (page.runs) return 'keep';
	return page.owner === page.currentUser && page.currentUser !== '' ? 'renew' : 'drop';
}

/**
 * The caches a worker whose files are in `assetCache` deletes on activating: other versions'
 * asset caches, and page caches other than the kept one (those of workers that kept pages per
 * version, whose pages it moves into the kept cache first: `legacyPageCaches`).
 */
export function oldCaches(
	names: readonly string[],
	assetCache: string,
	assetCachePrefix: string
): { stale: string[]; legacyPageCaches: string[] } {
	const stale: string[] = [];
	const legacyPageCaches: string[] = [];
	for (const name of names) {
		if (name.startsWith(assetCachePrefix) && name !== assetCache) stale.push(name);
		else if (name.startsWith(pageCachePrefix) && name !== keptPageCache) {
			legacyPageCaches.push(name);
			stale.push(name);
		}
	}
	return { stale, legacyPageCaches };
}
