// The n8n workers of the queue-mode test: each `n8n worker` with its own user folder, task-broker port and health
// port; started, stopped, killed like a crashed container, and started again with the same settings.
import { peakRssKiB, type N8nInstall } from '../services/n8n';
import { executionsRunIn } from '../services/eventLog';
import { spawnService } from '../services/process';
import { sleep } from '../lib/time';

export const WORKER_CONCURRENCY = 10;

export interface Worker {
	name: string;
	env: NodeJS.ProcessEnv;
	output(): string;
	peakRssMiB(): number;
	stop(): Promise<void>;
	/** SIGKILL to the worker and its task runner: no shutdown, no lock released, nothing written. */
	kill(): Promise<void>;
}

/** Ready when its health check answers. */
export async function startWorker(
	install: N8nInstall,
	name: string,
	env: NodeJS.ProcessEnv,
): Promise<Worker> {
	const service = spawnService(install.bin, ['worker', `--concurrency=${WORKER_CONCURRENCY}`], {
		env,
	});
	let peakKiB = 0;
	const measure = () => (peakKiB = Math.max(peakKiB, peakRssKiB(service.child.pid)));
	const sampler = setInterval(measure, 250);
	const end = (how: () => Promise<void>) => async () => {
		measure();
		clearInterval(sampler);
		await how();
	};
	const stop = end(service.stop);
	const health = `http://127.0.0.1:${env.QUEUE_HEALTH_CHECK_PORT}/healthz/readiness`;
	for (let i = 0; i < 240 && service.running(); i++) {
		if (
			await fetch(health).then(
				(r) => r.ok,
				() => false,
			)
		) {
			return {
				name,
				env,
				output: service.output,
				peakRssMiB: () => (measure(), peakKiB / 1024),
				stop,
				kill: end(service.kill),
			};
		}
		await sleep(500);
	}
	await stop();
	throw new Error(`${name} did not become ready (${health}):\n${service.output().slice(-3000)}`);
}

/** The executions a worker ran a node of, from its event log (in its user folder): where n8n stores it. */
export function ranBy(worker: Worker): Set<string> {
	return executionsRunIn(worker.env.N8N_USER_FOLDER!);
}
