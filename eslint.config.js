import js from '@eslint/js';
import { builtinModules } from 'node:module';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Layer rules (docs/architecture.md, "Layers, hooks and security headers"). Each names a regex
// over import specifiers; tests/unit/layer-rules.spec.ts proves every one still fires.

/** `$lib/server`, `#lib/server`, or a relative path into `lib/server` or the top-level `server/`. */
const serverOnly = {
	regex: String.raw`^(?:[$#]lib/server|(?:\.\.?/)+(?:lib/)?server)(?:/|\.ts$|$)`,
	message:
		'Browser and shared code must not import server modules: put shared types in $lib/api and shared wire formats in $lib/collab-protocol.'
};
/** Framework, environment and Node modules, which the pure domain layer must not touch. */
const impureForDomain = {
	regex: String.raw`^(?:\$app|\$env|svelte|${builtinModules.join('|')})(?:/|$)|^node:`,
	message: 'src/lib/domain is pure TypeScript: no $app, $env, Svelte or Node modules.'
};
/** Routes, components, browser state and Svelte files, which `server/` must not import. */
const browserOnly = {
	regex: String.raw`(?:^|/)src/routes/|^(?:[$#]lib|(?:\.\.?/)+src/lib)/(?:components|collab)/|\.svelte(?:\.[jt]s)?$`,
	message:
		'server/ must not import routes or browser modules; move what both need to src/lib/domain, $lib/api or $lib/collab-protocol.'
};

/** `no-restricted-imports` for static imports and `no-restricted-syntax` for `import()`. */
function forbidImports(...rules) {
	return {
		'no-restricted-imports': ['error', { patterns: rules }],
		'no-restricted-syntax': [
			'error',
			...rules.map(({ regex, message }) => ({
				// esquery's regex literal cannot contain a slash, escaped or not: spell it \x2F.
				selector: `ImportExpression[source.value=/${regex.replaceAll('/', String.raw`\x2F`)}/]`,
				message
			}))
		]
	};
}

/** Code that reaches the browser: everything under src/ except server-only modules. */
const browserFiles = ['src/routes/**', 'src/lib/**', 'src/hooks.client.ts', 'src/hooks.ts'];
const serverOnlyFiles = [
	'src/lib/server/**',
	'src/routes/**/+server.ts',
	'src/routes/**/+page.server.ts',
	'src/routes/**/+layout.server.ts',
	'src/routes/**/*.server.ts'
];

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'no-undef': 'off',
			// The app is always served at the root path (no `paths.base`), so plain hrefs are exact.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		files: browserFiles,
		ignores: serverOnlyFiles,
		rules: forbidImports(serverOnly)
	},
	{
		files: ['src/lib/domain/**'],
		rules: forbidImports(serverOnly, impureForDomain)
	},
	{
		files: ['server/**'],
		rules: forbidImports(browserOnly)
	},
	{
		// Test clients read arbitrary JSON bodies; typing each response would only restate the API.
		files: ['tests/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'test-results/',
			'playwright-report/'
		]
	}
);
