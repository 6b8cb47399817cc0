// The package's layering, checked by `npm run lint` (dependency-cruiser): imports run one way,
//   the node file -> actions (the operations) and methods (the editor's lists) -> resources (onOffice's records and
//   files) and sources (where a file comes from) -> transport (sending) -> credentials (signing),
// with helpers/ (pure decisions) and types.ts (the shapes that cross rooms) usable from every room, and no cycle.
// Shipped code imports nothing but n8n-workflow, crypto and its own modules. CONTRIBUTING.md's layout says the same.
const node = '^nodes/OnOfficeFileUpload/';
const room = (name) => `${node}${name}/`;
const theNodeFile = `${node}OnOfficeFileUpload\\.node\\.ts$`;
const types = `${node}types\\.ts$`;

/** A rule: files in `from` must not import files in any of `to`. */
const never = (name, comment, from, to) => ({
	name,
	comment,
	severity: 'error',
	from: { path: from },
	to: { path: to },
});

module.exports = {
	forbidden: [
		{
			name: 'no-cycle',
			comment:
				'An import cycle: two rooms (or files) that need each other are one concern, or one of them is in the wrong room.',
			severity: 'error',
			from: { path: '^(nodes|credentials|scripts)/' },
			to: { circular: true },
		},
		never(
			'actions-not-methods',
			"The operations and the editor's lists are siblings: what both need lives below them.",
			room('actions'),
			[room('methods'), theNodeFile],
		),
		never(
			'methods-not-actions',
			"The editor's lists do not run operations: what both need lives below them.",
			room('methods'),
			[room('actions'), theNodeFile],
		),
		never(
			'resources-only-down',
			"onOffice's resources know no operation, editor list or file source.",
			room('resources'),
			[room('actions'), room('methods'), room('sources'), theNodeFile],
		),
		never(
			'sources-only-down',
			'Where a file comes from knows no operation, editor list or onOffice resource.',
			room('sources'),
			[room('actions'), room('methods'), room('resources'), theNodeFile],
		),
		never(
			'transport-only-sends',
			'The transport knows no operation, resource, file source or editor list: it sends.',
			room('transport'),
			[room('actions'), room('methods'), room('resources'), room('sources'), theNodeFile],
		),
		never(
			'helpers-are-leaves',
			'Helpers are pure decisions: they use other helpers and the shared types only.',
			room('helpers'),
			[
				room('actions'),
				room('methods'),
				room('resources'),
				room('sources'),
				room('transport'),
				theNodeFile,
				'^credentials/',
			],
		),
		never('types-are-leaves', 'The shared types import no room.', types, [
			`${node}(actions|methods|resources|sources|transport|helpers)/`,
			theNodeFile,
			'^credentials/',
		]),
		never(
			'credentials-know-no-node',
			'The credential signs; it knows nothing of the node.',
			'^credentials/',
			[node],
		),
		never(
			'services-serve-the-tests',
			'The services the tests start (n8n, Dovecot, Redis, …) and the shared script helpers know no test that uses them.',
			'^scripts/(services|lib)/',
			['^scripts/(e2e|mail|queue|agent|install|ui|dev|release|docs)/', '^scripts/[^/]+\\.ts$'],
		),
		{
			name: 'ships-only-n8n-workflow-and-crypto',
			comment:
				'Shipped code may import n8n-workflow, crypto and its own modules only (no runtime dependencies, nothing else of Node).',
			severity: 'error',
			from: { path: '^(nodes|credentials)/' },
			to: { pathNot: ['^(nodes|credentials)/', '^crypto$', '(^|/)node_modules/n8n-workflow/'] },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		exclude: { path: '^dist/' },
	},
};
