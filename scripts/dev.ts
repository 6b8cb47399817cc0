// npm run dev: this package in a real n8n (the cached n8n 2.41.1 on Node 24 of the e2e tests) against the bundled
// onOffice sandbox, rebuilt by `tsc --watch` on every change and reloaded in the running n8n. The loop's parts are in
// scripts/dev/: loop.ts starts and stops them, buildWatcher.ts builds, n8nProcess.ts runs n8n, setup.ts keeps the
// dev folder (the linked package, the owner, the credential, the ports of last time).
import { DevLoop } from './dev/loop';
import { defaultDevFolder } from './dev/setup';
import { N8N_VERSION } from './services/n8n';

const HELP = `npm run dev [-- --restart]

Starts the bundled onOffice sandbox and n8n ${N8N_VERSION} (installed once into the e2e cache) with this package
linked in, rebuilds on every change (tsc --watch, icons copied) and reloads the node in the running n8n.
  --restart   restart n8n after each rebuild instead of n8n's own hot reload
Environment: ONOFFICE_DEV_FOLDER  where n8n's data and the build live (default ${defaultDevFolder()})
Stop with Ctrl+C.`;

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		console.log(HELP);
		return;
	}
	const unknown = args.filter((a) => a !== '--restart');
	if (unknown.length) {
		console.error(`[dev] unknown option ${unknown.join(' ')}\n\n${HELP}`);
		process.exit(2);
	}
	const dev = new DevLoop(args.includes('--restart'));
	// Ctrl+C reaches only this process: n8n and tsc run in process groups of their own and are stopped in order.
	process.on('SIGINT', () => void dev.stop(0));
	process.on('SIGTERM', () => void dev.stop(0));
	process.on('exit', () => dev.killAll());
	try {
		await dev.start();
	} catch (error) {
		console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
		await dev.stop(1);
	}
}

void main();
