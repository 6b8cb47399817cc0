// The layering check of `npm run lint` (dependency-cruiser, .dependency-cruiser.cjs) can fail: a copy of the package's
// code with one wrong import added is refused, by the rule that names the wrong, and the code as it is passes.
import { spawnSync } from 'child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const node = 'nodes/OnOfficeFileUpload';

/** Runs the check on a copy of nodes/ and credentials/ with `lines` appended to `file`. */
function cruiseWith(file?: string, lines = ''): { status: number | null; output: string } {
	const copy = mkdtempSync(join(tmpdir(), 'onoffice-layers-'));
	try {
		for (const entry of [
			'nodes',
			'credentials',
			'tsconfig.json',
			'package.json',
			'.dependency-cruiser.cjs',
		])
			cpSync(join(root, entry), join(copy, entry), { recursive: true });
		symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
		if (file) appendFileSync(join(copy, file), `\n${lines}\n`);
		const result = spawnSync(
			join(root, 'node_modules', '.bin', 'depcruise'),
			['nodes', 'credentials', '--config', '.dependency-cruiser.cjs'],
			{ cwd: copy, encoding: 'utf8' },
		);
		return { status: result.status, output: `${result.stdout}${result.stderr}` };
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

test('the code as it is keeps its direction', () => {
	const { status, output } = cruiseWith();
	expect(output).toContain('no dependency violations found');
	expect(status).toBe(0);
});

test.each([
	[
		"the transport importing an operation's field names",
		`${node}/transport/http.ts`,
		"import { FIELD } from '../actions/fields';\nexport const wrong = FIELD;",
		'transport-only-sends',
	],
	[
		'a resource importing a file source',
		`${node}/resources/staging.ts`,
		"import { urlFile } from '../sources/url';\nexport const wrong = urlFile;",
		'resources-only-down',
	],
	[
		'a helper importing the transport',
		`${node}/helpers/blocks.ts`,
		"import { DEFAULT_SEND_OPTIONS } from '../transport/http';\nexport const wrong = DEFAULT_SEND_OPTIONS;",
		'helpers-are-leaves',
	],
	[
		'an import cycle',
		`${node}/transport/errors.ts`,
		"import { sendAction } from './index';\nexport const wrong = sendAction;",
		'no-cycle',
	],
	[
		'shipped code reading the file system',
		`${node}/actions/files.ts`,
		"import { readFileSync } from 'fs';\nexport const wrong = readFileSync;",
		'ships-only-n8n-workflow-and-crypto',
	],
	[
		'the credential importing the node',
		'credentials/onOfficeSignature.ts',
		"import { MiB } from '../nodes/OnOfficeFileUpload/helpers/blocks';\nexport const wrong = MiB;",
		'credentials-know-no-node',
	],
])('refused: %s', (_, file, lines, rule) => {
	const { status, output } = cruiseWith(file, lines);
	expect(output).toContain(`error ${rule}:`);
	expect(status).not.toBe(0);
});
