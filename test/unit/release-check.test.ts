// The checks of `npm run release:check` on made-up tarballs and package.json files: each passes what a good release
// holds and names what is wrong in a bad one. The real tarball is checked by the script itself.
import {
	changelogProblems,
	className,
	dependencyProblems,
	describeTarball,
	fileListProblems,
	iconFiles,
	iconProblems,
	n8nEntryProblems,
	provenanceProblems,
	tagProblems,
	type PackageJson,
} from '../../scripts/release/check';

const NODE = 'dist/nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.js';
const CREDENTIAL = 'dist/credentials/OnOfficeApi.credentials.js';
const good = [
	'LICENSE.md',
	'README.md',
	'index.js',
	'package.json',
	CREDENTIAL,
	'dist/icons/onoffice.svg',
	'dist/icons/onoffice.dark.svg',
	NODE,
	'dist/nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.json',
	'dist/nodes/OnOfficeFileUpload/transport/index.js',
];
const pkg: PackageJson = {
	name: 'n8n-nodes-onoffice-file-upload',
	version: '0.1.0',
	main: 'index.js',
	n8n: { nodes: [NODE], credentials: [CREDENTIAL] },
};
const without = (file: string) => good.filter((f) => f !== file);

describe('fileListProblems', () => {
	test('a tarball of dist/, index.js, package.json, README.md and LICENSE.md passes', () => {
		expect(fileListProblems(good)).toEqual([]);
		expect(fileListProblems([...without('LICENSE.md'), 'LICENSE'])).toEqual([]);
	});

	test('the documentation may ship: the pages, their screenshots and the example workflows', () => {
		expect(
			fileListProblems([
				...good,
				'CHANGELOG.md',
				'CONTRIBUTING.md',
				'docs/operations.md',
				'docs/node-add-link.png',
				'examples/nightly-link-import.json',
				'examples/nightly-links.csv',
			]),
		).toEqual([]);
	});

	test.each([
		['dist/nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.js.map', 'a source map'],
		['dist/credentials/OnOfficeApi.credentials.d.ts', 'a type declaration'],
		['dist/nodes/OnOfficeFileUpload/transport/index.ts', 'a TypeScript source'],
		['dist/test/unit/blocks.test.js', 'a test'],
		['dist/nodes/OnOfficeFileUpload/blocks.spec.js', 'a test'],
		['dist/package.json', 'a copy of package.json below the root'],
		['test/sandbox/server.ts', 'only dist/, index.js'],
		['nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts', 'only dist/, index.js'],
		['scripts/release/check.ts', 'only dist/, index.js'],
		['docs/notes.ts', 'only dist/, index.js'],
		['examples/sample.pdf', 'only dist/, index.js'],
		['bench/RESULTS.md', 'only dist/, index.js'],
		['tsconfig.json', 'only dist/, index.js'],
	])('%s is named as not belonging (%s)', (file, why) => {
		const problems = fileListProblems([...good, file]);
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain(file);
		expect(problems[0]).toContain(why);
	});

	test.each(['package.json', 'index.js', 'README.md'])('a tarball without %s fails', (file) => {
		expect(fileListProblems(without(file))).toEqual([`${file} is missing from the tarball`]);
	});

	test('a tarball without a licence fails', () => {
		expect(fileListProblems(without('LICENSE.md'))).toEqual([
			'the licence (LICENSE or LICENSE.md) is missing from the tarball',
		]);
	});
});

describe('n8nEntryProblems', () => {
	test('every node, credential and main present: passes; "./" in package.json is the same path', () => {
		expect(n8nEntryProblems(pkg, good)).toEqual([]);
		expect(
			n8nEntryProblems(
				{ ...pkg, n8n: { nodes: [`./${NODE}`], credentials: [`./${CREDENTIAL}`] } },
				good,
			),
		).toEqual([]);
	});

	test('a listed node, credential or main that is not in the tarball is named with its field', () => {
		expect(n8nEntryProblems(pkg, without(NODE))).toEqual([
			`${NODE} (package.json "n8n.nodes") is not in the tarball`,
		]);
		expect(n8nEntryProblems(pkg, without(CREDENTIAL))).toEqual([
			`${CREDENTIAL} (package.json "n8n.credentials") is not in the tarball`,
		]);
		expect(n8nEntryProblems(pkg, without('index.js'))).toEqual([
			'index.js (package.json "main") is not in the tarball',
		]);
	});

	test('no n8n section, or no node in it, fails', () => {
		expect(n8nEntryProblems({ ...pkg, n8n: undefined }, good)).toEqual([
			'package.json has no "n8n" section: n8n would not find any node in the package',
		]);
		expect(
			n8nEntryProblems({ ...pkg, n8n: { nodes: [], credentials: [CREDENTIAL] } }, good),
		).toEqual(['package.json\'s "n8n.nodes" is empty: n8n would find no node in the package']);
	});
});

describe('icons', () => {
	const themed = {
		light: 'file:../../icons/onoffice.svg',
		dark: 'file:../../icons/onoffice.dark.svg',
	};

	test('iconFiles reads a plain and a themed icon, and ignores icons that are not files', () => {
		expect(iconFiles('file:onoffice.svg')).toEqual(['onoffice.svg']);
		expect(iconFiles(themed)).toEqual([
			'../../icons/onoffice.svg',
			'../../icons/onoffice.dark.svg',
		]);
		expect(iconFiles('fa:file')).toEqual([]);
		expect(iconFiles(undefined)).toEqual([]);
	});

	test('icons resolve relative to the folder of the class that declares them', () => {
		const refs = [
			{ file: NODE, icon: themed },
			{
				file: CREDENTIAL,
				icon: { light: 'file:../icons/onoffice.svg', dark: 'file:../icons/onoffice.dark.svg' },
			},
		];
		expect(iconProblems(refs, good)).toEqual([]);
	});

	test('an icon missing from the tarball is named with the path n8n would look at', () => {
		expect(
			iconProblems([{ file: NODE, icon: themed }], without('dist/icons/onoffice.dark.svg')),
		).toEqual([
			`${NODE}: its icon file:../../icons/onoffice.dark.svg (dist/icons/onoffice.dark.svg) is not in the tarball`,
		]);
		// The credential's path written as for the node: one folder too high, icons/ at the root, which is not shipped.
		expect(
			iconProblems([{ file: CREDENTIAL, icon: 'file:../../icons/onoffice.svg' }], good),
		).toEqual([
			`${CREDENTIAL}: its icon file:../../icons/onoffice.svg (icons/onoffice.svg) is not in the tarball`,
		]);
		expect(
			iconProblems([{ file: CREDENTIAL, icon: 'file:../../../icons/onoffice.svg' }], good),
		).toEqual([
			`${CREDENTIAL}: its icon file:../../../icons/onoffice.svg lies outside the package`,
		]);
		expect(iconProblems([{ file: CREDENTIAL, icon: 'file:onoffice.svg' }], good)).toEqual([
			`${CREDENTIAL}: its icon file:onoffice.svg (dist/credentials/onoffice.svg) is not in the tarball`,
		]);
	});

	test('a class without a file: icon fails', () => {
		expect(iconProblems([{ file: NODE, icon: undefined }], good)).toEqual([
			`${NODE} declares no file: icon`,
		]);
	});

	test('className is the name n8n looks for in the file', () => {
		expect(className(NODE)).toBe('OnOfficeFileUpload');
		expect(className(CREDENTIAL)).toBe('OnOfficeApi');
	});
});

describe('dependencyProblems', () => {
	test('none, or empty objects: passes', () => {
		expect(dependencyProblems(pkg)).toEqual([]);
		expect(
			dependencyProblems({
				...pkg,
				dependencies: {},
				optionalDependencies: {},
				bundleDependencies: [],
			}),
		).toEqual([]);
	});

	test('any runtime, optional or bundled dependency fails, by name', () => {
		expect(
			dependencyProblems({ ...pkg, dependencies: { axios: '^1.0.0', 'form-data': '4' } }),
		).toEqual([
			'package.json has runtime "dependencies" (axios, form-data); community nodes may have none',
		]);
		expect(dependencyProblems({ ...pkg, optionalDependencies: { sharp: '*' } })).toEqual([
			'package.json has runtime "optionalDependencies" (sharp); community nodes may have none',
		]);
		expect(dependencyProblems({ ...pkg, bundledDependencies: ['axios'] })).toEqual([
			'package.json has "bundledDependencies"; community nodes may bundle none',
		]);
		expect(dependencyProblems({ ...pkg, bundleDependencies: true })).toEqual([
			'package.json has "bundleDependencies"; community nodes may bundle none',
		]);
	});
});

describe('release metadata', () => {
	const changelog = '# Changelog\n\n## [Unreleased]\n\n- Something\n\n## [0.1.0]\n\n### Added\n';

	test('the CHANGELOG needs a section for the version, not merely a mention of it', () => {
		expect(changelogProblems('0.1.0', changelog)).toEqual([]);
		expect(changelogProblems('0.2.0', changelog)).toEqual([
			'CHANGELOG.md has no section "## [0.2.0]" for the version in package.json',
		]);
		expect(
			changelogProblems('0.1.0', '## [Unreleased]\n\n- Fixed what broke in 0.1.0\n'),
		).toHaveLength(1);
		// The dots are dots, not "any character".
		expect(changelogProblems('0.1.0', '## [0x1y0]\n')).toHaveLength(1);
		expect(changelogProblems('0.1.0', undefined)).toEqual(['CHANGELOG.md is missing']);
		expect(changelogProblems(undefined, changelog)).toEqual(['package.json has no "version"']);
	});

	test('a pushed tag must be the version, with or without v; no tag: nothing to check', () => {
		expect(tagProblems(undefined, '0.1.0')).toEqual([]);
		expect(tagProblems('0.1.0', '0.1.0')).toEqual([]);
		expect(tagProblems('v0.1.0', '0.1.0')).toEqual([]);
		expect(tagProblems('0.1.1', '0.1.0')).toEqual([
			"the tag 0.1.1 does not match package.json's version 0.1.0",
		]);
	});

	test('in GitHub Actions the repository must be the one npm will find in the provenance', () => {
		const here = 'https://github.com/someone/n8n-nodes-onoffice-file-upload';
		expect(provenanceProblems(pkg, undefined)).toEqual([]);
		expect(provenanceProblems({ ...pkg, repository: { url: `git+${here}.git` } }, here)).toEqual(
			[],
		);
		expect(provenanceProblems({ ...pkg, repository: `${here}/` }, here)).toEqual([]);
		expect(provenanceProblems(pkg, here)).toEqual([
			`package.json has no "repository"; npm refuses provenance unless its url is ${here}`,
		]);
		expect(
			provenanceProblems(
				{
					...pkg,
					repository: {
						url: 'git+https://github.com/someone-else/n8n-nodes-onoffice-file-upload.git',
					},
				},
				here,
			),
		).toEqual([
			`package.json's repository.url git+https://github.com/someone-else/n8n-nodes-onoffice-file-upload.git is not ${here}, the repository this runs in; npm would refuse the provenance`,
		]);
	});

	test('describeTarball prints size, unpacked size and file count', () => {
		expect(
			describeTarball({
				filename: 'x-0.1.0.tgz',
				size: 46_912,
				unpackedSize: 163_480,
				entryCount: 30,
			}),
		).toBe('x-0.1.0.tgz: 46.9 kB packed, 163.5 kB unpacked, 30 files');
	});
});
