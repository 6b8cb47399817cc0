// The documentation stays whole: in the repository every relative link and anchor of README, CHANGELOG,
// CONTRIBUTING and docs/ resolves and every `npm run` script they name exists; in the packed tarball (what npm and
// n8n's package page show) every link of a page that ships points at a file that ships too.
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

import {
	DOC_PAGES,
	headingAnchors,
	linkProblems,
	markdownLinks,
	npmRunScripts,
	scriptProblems,
} from '../../scripts/docs/links';

const root = join(__dirname, '..', '..');
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
	cwd: root,
	encoding: 'utf8',
})
	.split('\n')
	.filter(Boolean);
const read = (paths: string[]) =>
	new Map(paths.map((p) => [p, readFileSync(join(root, p), 'utf8')]));
const pages = read(tracked.filter((p) => DOC_PAGES.test(p)));

describe('the documentation in the repository', () => {
	test('the pages are there', () => {
		expect([...pages.keys()]).toEqual(
			expect.arrayContaining([
				'README.md',
				'CHANGELOG.md',
				'CONTRIBUTING.md',
				'docs/operations.md',
				'docs/troubleshooting.md',
			]),
		);
	});

	test('every relative link and anchor resolves', () => {
		expect(linkProblems(pages, new Set(tracked))).toEqual([]);
	});

	test('every npm run script the pages name exists', () => {
		const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			scripts: Record<string, string>;
		};
		expect(scriptProblems(pages, scripts)).toEqual([]);
	});

	test('every page is reachable from the README', () => {
		const reached = new Set(['README.md']);
		const queue = ['README.md'];
		while (queue.length) {
			const page = queue.shift()!;
			for (const { target } of markdownLinks(pages.get(page)!)) {
				const path = target.split('#')[0];
				if (!path || /^[a-z]+:/i.test(path)) continue;
				const resolved = join(page, '..', path).replace(/\\/g, '/');
				if (pages.has(resolved) && !reached.has(resolved)) {
					reached.add(resolved);
					queue.push(resolved);
				}
			}
		}
		expect([...pages.keys()].filter((p) => !reached.has(p))).toEqual([]);
	});
});

describe('the documentation in the packed tarball', () => {
	// What `npm pack` would put in the tarball (no build: dist/ is whatever is there; links never point into it).
	const [report] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: root,
			encoding: 'utf8',
		}),
	) as Array<{ files: Array<{ path: string }> }>;
	const shipped = new Set(report.files.map((f) => f.path));
	const shippedPages = new Map([...pages].filter(([path]) => shipped.has(path)));

	test('the README and the pages it links to ship', () => {
		expect(shippedPages.has('README.md')).toBe(true);
		const linked = markdownLinks(pages.get('README.md')!)
			.map((l) => l.target.split('#')[0])
			.filter((p) => p && !/^[a-z]+:/i.test(p));
		expect(linked.filter((p) => !shipped.has(p))).toEqual([]);
	});

	test('every link of a page that ships resolves inside the tarball', () => {
		expect(linkProblems(shippedPages, shipped)).toEqual([]);
	});
});

describe('the checks themselves', () => {
	const page = (text: string) =>
		new Map([
			['docs/a.md', text],
			['docs/b.md', '# Title\n\n## Running imports again (On Duplicate)\n\n## Title\n'],
		]);
	const files = new Set(['docs/a.md', 'docs/b.md', 'examples/x.json']);

	test('a missing file, a missing anchor and a link out of the package are named', () => {
		expect(linkProblems(page('[a](c.md) [b](b.md#nope) [c](../../x.md)'), files)).toEqual([
			'docs/a.md:1: c.md: docs/c.md is not there',
			'docs/a.md:1: b.md#nope: docs/b.md has no heading with the anchor #nope',
			'docs/a.md:1: ../../x.md: ../x.md is not there',
		]);
	});

	test('good links, anchors as GitHub makes them, external links and code are accepted', () => {
		const text =
			'# A\n[x](b.md#running-imports-again-on-duplicate) [y](b.md#title-1) [z](#a) ![i](../examples/x.json) [w](https://example.com/nope)\n`[q](nope.md)`\n```\n[r](nope.md)\n```\n';
		expect(linkProblems(page(text), files)).toEqual([]);
	});

	test('anchors follow GitHub: code spans, punctuation and repeats', () => {
		expect([
			...headingAnchors(
				'## Not with `N8N_CUSTOM_EXTENSIONS`\n## From e-mail to estate\n## Usage\n## Usage\n```\n# not a heading\n```\n',
			),
		]).toEqual(['not-with-n8n_custom_extensions', 'from-e-mail-to-estate', 'usage', 'usage-1']);
	});

	test('npm run names are found in prose and code, and unknown ones are named', () => {
		expect(
			npmRunScripts('run `npm run test:e2e -- --n8n 1.x`, then\n```\nnpm run bench\n```').map(
				(s) => s.script,
			),
		).toEqual(['test:e2e', 'bench']);
		expect(
			scriptProblems(new Map([['README.md', 'npm run test:nothing']]), { test: 'jest' }),
		).toEqual(['README.md:1: npm run test:nothing: package.json has no such script']);
	});
});
