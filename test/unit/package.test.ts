// What users install: the packed tarball and the package.json n8n reads. Runs after `npm run build` (npm test).
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

import {
	dependencyProblems,
	fileListProblems,
	iconProblems,
	n8nEntryProblems,
} from '../../scripts/release/check';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package', () => {
	test('no runtime dependencies; n8n-workflow is the only peer; MIT; community keyword', () => {
		expect(dependencyProblems(pkg)).toEqual([]);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
	});

	// The rules are release:check's (scripts/release/check.ts), which applies them to the real tarball before a release.
	test('npm pack ships dist, index.js, the licence and the documentation, every class n8n is told about and their icons, nothing else', () => {
		const [report] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
			}),
		);
		const files: string[] = report.files.map((f: { path: string }) => f.path);
		expect(fileListProblems(files)).toEqual([]);
		expect(n8nEntryProblems(pkg, files)).toEqual([]);
		expect(files).toContain('dist/nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.json');
		// The sandbox's page ships (the README links it); its code does not.
		expect(files.filter((f) => /sandbox/i.test(f))).toEqual(['docs/sandbox.md']);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const entry = require(join(root, 'index.js'));
		const references = [
			{ file: pkg.n8n.nodes[0], icon: new entry.OnOfficeFileUpload().description.icon },
			{ file: pkg.n8n.credentials[0], icon: new entry.OnOfficeApi().icon },
		];
		expect(iconProblems(references, files)).toEqual([]);
	});

	test('every file n8n is told to load exists after the build, and index.js exports the classes', () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials])
			expect(existsSync(join(root, file))).toBe(true);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const entry = require(join(root, 'index.js'));
		expect(new entry.OnOfficeFileUpload().description.name).toBe('onOfficeFileUpload');
		expect(new entry.OnOfficeApi().name).toBe('onOfficeApi');
	});

	test('shipped code imports nothing but n8n-workflow, crypto and its own modules', () => {
		const report = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: root,
				encoding: 'utf8',
			}),
		)[0];
		const js: string[] = report.files
			.map((f: { path: string }) => f.path)
			.filter((p: string) => p.endsWith('.js') && p.startsWith('dist/'));
		expect(js.length).toBeGreaterThan(5);
		const imports = new Set<string>();
		for (const file of js) {
			for (const match of readFileSync(join(root, file), 'utf8').matchAll(
				/require\("([^"]+)"\)/g,
			)) {
				if (!match[1].startsWith('.')) imports.add(match[1]);
			}
		}
		expect([...imports].sort()).toEqual(['crypto', 'n8n-workflow']);
	});
});
