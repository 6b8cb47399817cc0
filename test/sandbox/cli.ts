import {
	DEFAULT_SECRET,
	DEFAULT_TOKEN,
	SEED_ADDRESSES,
	SEED_AGENTS_LOG,
	SEED_ESTATES,
	SEED_TASKS,
	startSandbox,
} from './server';

const ESTATE_STATUS = { 1: 'active', 2: 'inactive', 0: 'archived' };

/** The seeded records, one line each, so that a person trying the node knows what to type. */
function seedLines(): string[] {
	return [
		'Seeded estates (record number, ImmoNr, address, status):',
		...SEED_ESTATES.map(
			(e) =>
				`  ${String(e.id).padEnd(5)} ${e.objektnr_extern.padEnd(6)} ${`${e.strasse} ${e.hausnummer}, ${e.plz} ${e.ort}`.padEnd(32)} ${ESTATE_STATUS[e.status]}`,
		),
		'Seeded contacts (record number, name, e-mails, the default first):',
		...SEED_ADDRESSES.map(
			(a) =>
				`  ${String(a.id).padEnd(5)} ${`${a.Vorname} ${a.Name}`.padEnd(17)} ${a.emails.map((m) => m.address).join(', ')}`,
		),
		`Also agents-log entry ${SEED_AGENTS_LOG.join(', ')} and task ${SEED_TASKS.join(', ')}. All of it: docs/sandbox.md.`,
	];
}

async function main(): Promise<void> {
	const port = Number(process.env.ONOFFICE_SANDBOX_PORT ?? 8089);
	const sandbox = await startSandbox({
		port,
		token: process.env.ONOFFICE_SANDBOX_TOKEN ?? DEFAULT_TOKEN,
		secret: process.env.ONOFFICE_SANDBOX_SECRET ?? DEFAULT_SECRET,
		maxRequestBytes: process.env.ONOFFICE_SANDBOX_MAX_BYTES
			? Number(process.env.ONOFFICE_SANDBOX_MAX_BYTES)
			: undefined,
		latencyMs: process.env.ONOFFICE_SANDBOX_LATENCY_MS
			? Number(process.env.ONOFFICE_SANDBOX_LATENCY_MS)
			: undefined,
		clockSkewSeconds: process.env.ONOFFICE_SANDBOX_CLOCK_SKEW
			? Number(process.env.ONOFFICE_SANDBOX_CLOCK_SKEW)
			: undefined,
		failedActionTopLevel: process.env.ONOFFICE_SANDBOX_ACTION_ERROR_TOP === '0' ? 0 : 97,
		readRights: process.env.ONOFFICE_SANDBOX_READ_RIGHTS !== '0',
		searchMatch: process.env.ONOFFICE_SANDBOX_SEARCH_MATCH === 'prefix' ? 'prefix' : 'contains',
	});
	console.log('onOffice sandbox is running.');
	console.log('');
	console.log('In n8n, create an "onOffice API" credential with:');
	console.log(`  Token:        ${sandbox.token}`);
	console.log(`  Secret:       ${sandbox.secret}`);
	console.log('  API Version:  Custom URL');
	console.log(`  Custom URL:   ${sandbox.url}`);
	console.log('');
	for (const line of seedLines()) console.log(line);
	if (!sandbox.options.readRights) {
		console.log(
			'Read rights:    off (ONOFFICE_SANDBOX_READ_RIGHTS=0): reads and searches find nothing, uploads work.',
		);
	}
	console.log('');
	console.log(
		`What arrived:   ${sandbox.origin}/__sandbox/state   (requests: ${sandbox.origin}/__sandbox/requests)`,
	);
	console.log('Stop with Ctrl+C.');
	const stop = () => void sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
