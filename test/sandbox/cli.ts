import { DEFAULT_SECRET, DEFAULT_TOKEN, startSandbox } from './server';

async function main(): Promise<void> {
	const port = Number(process.env.ONOFFICE_SANDBOX_PORT ?? 8089);
	const sandbox = await startSandbox({
		port,
		token: process.env.ONOFFICE_SANDBOX_TOKEN ?? DEFAULT_TOKEN,
		secret: process.env.ONOFFICE_SANDBOX_SECRET ?? DEFAULT_SECRET,
		maxRequestBytes: process.env.ONOFFICE_SANDBOX_MAX_BYTES ? Number(process.env.ONOFFICE_SANDBOX_MAX_BYTES) : undefined,
		latencyMs: process.env.ONOFFICE_SANDBOX_LATENCY_MS ? Number(process.env.ONOFFICE_SANDBOX_LATENCY_MS) : undefined,
		clockSkewSeconds: process.env.ONOFFICE_SANDBOX_CLOCK_SKEW ? Number(process.env.ONOFFICE_SANDBOX_CLOCK_SKEW) : undefined,
		failedActionTopLevel: process.env.ONOFFICE_SANDBOX_ACTION_ERROR_TOP === '0' ? 0 : 97,
	});
	console.log('onOffice sandbox is running.');
	console.log('');
	console.log('In n8n, create an "onOffice API" credential with:');
	console.log(`  Token:        ${sandbox.token}`);
	console.log(`  Secret:       ${sandbox.secret}`);
	console.log('  API Version:  Custom URL');
	console.log(`  Custom URL:   ${sandbox.url}`);
	console.log('');
	console.log('Seeded records: estates 30, 409, 2651; addresses 1, 7; agents-log entry 5; task 9.');
	console.log(`What arrived:   ${sandbox.origin}/__sandbox/state   (requests: ${sandbox.origin}/__sandbox/requests)`);
	console.log('Stop with Ctrl+C.');
	const stop = () => void sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
