// npm run release:check: everything `npm test` checks, then the tarball `npm publish` would upload, packed for real
// and checked from the inside: what it holds, that n8n finds every class and icon it is told about, that it needs
// nothing at run time but its peer n8n-workflow, and that the release has a CHANGELOG entry (and, in the publish
// workflow, a tag and a repository URL that match). The checks below are pure and exported for the unit test.
import { execFileSync, spawnSync } from 'child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
} from 'fs';
import { tmpdir } from 'os';
import { join, posix, relative, sep } from 'path';

import { DOC_PAGES, linkProblems } from '../docs/links';

export interface PackageJson {
	name?: string;
	version?: string;
	main?: string;
	repository?: string | { url?: string };
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	bundleDependencies?: string[] | boolean;
	bundledDependencies?: string[] | boolean;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/** One class n8n loads and the `icon` it declares (a node's `description.icon`, a credential's `icon`). */
export interface IconReference {
	file: string;
	icon: unknown;
}

/** The part of `npm pack --json`'s report this check prints. */
export interface PackReport {
	filename: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
}

const LICENSE = /^LICEN[CS]E(\.md|\.txt)?$/i;
const TOP_LEVEL = ['package.json', 'index.js', 'README.md'];
/**
 * The documentation that ships, so that the README's links work where npm and n8n's package page show it: the pages
 * (small text), the screenshots they show and the example workflows they link to. No code.
 */
const DOCUMENTATION =
	/^(CHANGELOG\.md|CONTRIBUTING\.md|docs\/[^/]+\.(md|png)|examples\/[^/]+\.(json|csv))$/;

/**
 * What the tarball holds, by path inside the package: the built code under dist/, the entry index.js, the three
 * files npm always adds (package.json, README.md, the licence) and the documentation. Left out, each for its own reason:
 * - source maps: tsc emits them for debugging here, but they point at the .ts sources, which are not shipped;
 * - .d.ts: n8n loads the classes by path and never compiles against them, and the package declares no `types`;
 * - package.json below the root: tsc copies package.json into dist/ (tsconfig.json includes it); nothing reads
 *   that stale copy, and a nested package.json changes how Node treats the files under it;
 * - tests, TypeScript sources and anything else outside dist/.
 */
export function fileListProblems(files: string[]): string[] {
	const problems: string[] = [];
	for (const file of files) {
		if (TOP_LEVEL.includes(file) || LICENSE.test(file) || DOCUMENTATION.test(file)) continue;
		if (!file.startsWith('dist/'))
			problems.push(
				`${file}: only dist/, index.js, package.json, the licence and the documentation (README.md, CHANGELOG.md, CONTRIBUTING.md, docs/*.md and *.png, examples/*.json and *.csv) belong in the tarball`,
			);
		else if (file.endsWith('.map'))
			problems.push(
				`${file}: a source map, pointing at TypeScript sources the tarball does not hold`,
			);
		else if (file.endsWith('.d.ts'))
			problems.push(
				`${file}: a type declaration; n8n loads the classes by path and the package declares no types`,
			);
		else if (file.endsWith('.ts'))
			problems.push(`${file}: a TypeScript source; only the compiled JavaScript is shipped`);
		else if (/(^|\/)(test|tests|__tests__)\//.test(file) || /\.(test|spec)\.[cm]?js$/.test(file))
			problems.push(`${file}: a test`);
		else if (posix.basename(file) === 'package.json')
			problems.push(
				`${file}: a copy of package.json below the root (tsc emits it); nothing reads it`,
			);
	}
	for (const wanted of TOP_LEVEL) {
		if (!files.includes(wanted)) problems.push(`${wanted} is missing from the tarball`);
	}
	if (!files.some((f) => LICENSE.test(f)))
		problems.push('the licence (LICENSE or LICENSE.md) is missing from the tarball');
	return problems;
}

/** Every link of a page in the tarball points at a file in the tarball (npm shows the README from there). */
export function docLinkProblems(pkgDir: string, files: string[]): string[] {
	const pages = new Map(
		files.filter((f) => DOC_PAGES.test(f)).map((f) => [f, readFileSync(join(pkgDir, f), 'utf8')]),
	);
	return linkProblems(pages, new Set(files)).map((problem) => `in the tarball, ${problem}`);
}

const inPackage = (file: string) => posix.normalize(file.replace(/^\.\//, ''));

/** Every file package.json points n8n (and `main`) at is in the tarball, and there is at least one node. */
export function n8nEntryProblems(pkg: PackageJson, files: string[]): string[] {
	const problems: string[] = [];
	if (!pkg.n8n)
		return ['package.json has no "n8n" section: n8n would not find any node in the package'];
	if (!pkg.n8n.nodes?.length)
		problems.push('package.json\'s "n8n.nodes" is empty: n8n would find no node in the package');
	const listed: Array<[string, string]> = [
		...(pkg.n8n.nodes ?? []).map((f): [string, string] => ['n8n.nodes', f]),
		...(pkg.n8n.credentials ?? []).map((f): [string, string] => ['n8n.credentials', f]),
		...(pkg.main ? [['main', pkg.main] as [string, string]] : []),
	];
	for (const [field, file] of listed) {
		if (!files.includes(inPackage(file)))
			problems.push(`${file} (package.json "${field}") is not in the tarball`);
	}
	return problems;
}

/** The files an `icon` value names: `'file:x.svg'` or `{ light: 'file:x.svg', dark: 'file:x.dark.svg' }`. */
export function iconFiles(icon: unknown): string[] {
	const values =
		typeof icon === 'string' ? [icon] : icon && typeof icon === 'object' ? Object.values(icon) : [];
	return values
		.filter((v): v is string => typeof v === 'string' && v.startsWith('file:'))
		.map((v) => v.slice('file:'.length));
}

/** n8n resolves a `file:` icon relative to the folder of the class that declares it; each must be in the tarball. */
export function iconProblems(references: IconReference[], files: string[]): string[] {
	const problems: string[] = [];
	for (const { file, icon } of references) {
		const named = iconFiles(icon);
		if (named.length === 0) problems.push(`${file} declares no file: icon`);
		for (const iconFile of named) {
			const path = posix.normalize(posix.join(posix.dirname(inPackage(file)), iconFile));
			if (path.startsWith('../'))
				problems.push(`${file}: its icon file:${iconFile} lies outside the package`);
			else if (!files.includes(path))
				problems.push(`${file}: its icon file:${iconFile} (${path}) is not in the tarball`);
		}
	}
	return problems;
}

/** n8n installs community packages next to each other in one folder; the package may bring no runtime dependency. */
export function dependencyProblems(pkg: PackageJson): string[] {
	const problems: string[] = [];
	for (const field of ['dependencies', 'optionalDependencies'] as const) {
		const names = Object.keys(pkg[field] ?? {});
		if (names.length)
			problems.push(
				`package.json has runtime "${field}" (${names.join(', ')}); community nodes may have none`,
			);
	}
	for (const field of ['bundleDependencies', 'bundledDependencies'] as const) {
		const value = pkg[field];
		if (value === true || (Array.isArray(value) && value.length))
			problems.push(`package.json has "${field}"; community nodes may bundle none`);
	}
	return problems;
}

/** CHANGELOG.md has a section for the version being released: `## [0.1.0]` (Keep a Changelog). */
export function changelogProblems(
	version: string | undefined,
	changelog: string | undefined,
): string[] {
	if (!version) return ['package.json has no "version"'];
	if (changelog === undefined) return ['CHANGELOG.md is missing'];
	const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^## \\[${escaped}\\]`, 'm').test(changelog)
		? []
		: [`CHANGELOG.md has no section "## [${version}]" for the version in package.json`];
}

/** The pushed tag (`0.1.0` or `v0.1.0`) is the version in package.json; no tag given (a local run): nothing to check. */
export function tagProblems(tag: string | undefined, version: string | undefined): string[] {
	if (!tag) return [];
	return tag.replace(/^v/, '') === version
		? []
		: [`the tag ${tag} does not match package.json's version ${version}`];
}

const normaliseRepositoryUrl = (url: string) =>
	url
		.trim()
		.replace(/^git\+/, '')
		.replace(/\.git$/, '')
		.replace(/\/+$/, '')
		.toLowerCase();

/**
 * `npm publish --provenance` is refused (E422, after the build and signing) unless package.json's `repository.url`
 * is the GitHub repository the workflow runs in. In GitHub Actions that repository is known: compare before
 * publishing. Outside it (no repository given) there is nothing to compare with.
 */
export function provenanceProblems(
	pkg: PackageJson,
	buildRepository: string | undefined,
): string[] {
	if (!buildRepository) return [];
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!url)
		return [
			`package.json has no "repository"; npm refuses provenance unless its url is ${buildRepository}`,
		];
	return normaliseRepositoryUrl(url) === normaliseRepositoryUrl(buildRepository)
		? []
		: [
				`package.json's repository.url ${url} is not ${buildRepository}, the repository this runs in; npm would refuse the provenance`,
			];
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export function describeTarball(report: PackReport): string {
	return `${report.filename}: ${kB(report.size)} packed, ${kB(report.unpackedSize)} unpacked, ${report.entryCount} files`;
}

/** n8n finds the class in `X.node.js` / `X.credentials.js` by the file's name: export `X`. */
export function className(file: string): string {
	return posix.basename(file).replace(/\.(node|credentials)\.js$/, '');
}

// ---- the run ----

const root = join(__dirname, '..', '..');

function listFiles(dir: string): string[] {
	const out: string[] = [];
	const walk = (d: string) => {
		for (const entry of readdirSync(d, { withFileTypes: true })) {
			const full = join(d, entry.name);
			if (entry.isDirectory()) walk(full);
			else out.push(relative(dir, full).split(sep).join('/'));
		}
	};
	walk(dir);
	return out.sort();
}

/** Loads each class from the unpacked tarball, with n8n-workflow (the peer) as the only module it can reach. */
function loadFromTarball(
	pkgDir: string,
	pkg: PackageJson,
): { references: IconReference[]; problems: string[] } {
	mkdirSync(join(pkgDir, 'node_modules'));
	symlinkSync(
		join(root, 'node_modules', 'n8n-workflow'),
		join(pkgDir, 'node_modules', 'n8n-workflow'),
		'junction',
	);
	const references: IconReference[] = [];
	const problems: string[] = [];
	const entries = [
		...(pkg.n8n?.nodes ?? []).map((f) => ({ f, kind: 'node' })),
		...(pkg.n8n?.credentials ?? []).map((f) => ({ f, kind: 'credential' })),
	];
	for (const { f, kind } of entries) {
		const path = join(pkgDir, inPackage(f));
		if (!existsSync(path)) continue; // n8nEntryProblems names it
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const Class = require(path)[className(f)];
			if (typeof Class !== 'function') {
				problems.push(`${f} exports no class ${className(f)}, the name n8n looks for`);
				continue;
			}
			const instance = new Class();
			references.push({
				file: inPackage(f),
				icon: kind === 'node' ? instance.description?.icon : instance.icon,
			});
		} catch (error) {
			problems.push(
				`${f} does not load from the tarball (with only n8n-workflow installed beside it): ${(error as Error).message.split('\n')[0]}`,
			);
		}
	}
	if (pkg.main && existsSync(join(pkgDir, inPackage(pkg.main)))) {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			require(join(pkgDir, inPackage(pkg.main)));
		} catch (error) {
			problems.push(
				`${pkg.main} (package.json "main") does not load from the tarball: ${(error as Error).message.split('\n')[0]}`,
			);
		}
	}
	return { references, problems };
}

function main(): void {
	const args = process.argv.slice(2);
	const tagAt = args.indexOf('--tag');
	const tag = tagAt >= 0 ? args[tagAt + 1] : undefined;
	if (args.length !== (tagAt >= 0 ? 2 : 0) || (tagAt >= 0 && (tagAt !== 0 || !tag))) {
		console.error(`release:check takes nothing or --tag <the pushed tag>; got: ${args.join(' ')}`);
		process.exit(2);
	}
	const buildRepository = process.env.GITHUB_REPOSITORY
		? `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}`
		: undefined;

	// The project's own checks first: lint, build (dist/ is what gets packed), the jest suite.
	console.log('== npm test (lint, build, jest)');
	const test = spawnSync('npm', ['test'], { cwd: root, stdio: 'inherit' });
	if (test.status !== 0) {
		console.error(
			`release:check: npm test failed (${test.status === null ? `signal ${test.signal}` : `exit code ${test.status}`}); nothing was packed`,
		);
		process.exit(1);
	}

	const work = mkdtempSync(join(tmpdir(), 'onoffice-release-'));
	try {
		console.log('== npm pack');
		const [report] = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
				cwd: root,
				encoding: 'utf8',
			}),
		);
		execFileSync('tar', ['-xzf', join(work, report.filename), '-C', work]);
		const pkgDir = join(work, 'package');
		const files = listFiles(pkgDir);
		const pkg: PackageJson = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
		const changelogPath = join(root, 'CHANGELOG.md');
		const loaded = loadFromTarball(pkgDir, pkg);

		const problems = [
			...fileListProblems(files),
			...docLinkProblems(pkgDir, files),
			...n8nEntryProblems(pkg, files),
			...loaded.problems,
			...iconProblems(loaded.references, files),
			...dependencyProblems(pkg),
			...changelogProblems(
				pkg.version,
				existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : undefined,
			),
			...tagProblems(tag, pkg.version),
			...provenanceProblems(pkg, buildRepository),
		];
		console.log(describeTarball(report));
		if (problems.length) {
			console.error(`release:check failed: ${problems.length} problem(s) with ${report.filename}:`);
			for (const problem of problems) console.error(`  - ${problem}`);
			process.exitCode = 1;
			return;
		}
		const icons = loaded.references.flatMap((r) => iconFiles(r.icon)).length;
		console.log(
			`release:check passed: ${loaded.references.length} classes load from the tarball, ${icons} icon references resolve, no runtime dependencies, CHANGELOG has ${pkg.version}`,
		);
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) main();
