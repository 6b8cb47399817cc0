// Ports on 127.0.0.1: a test's own server listens on one the system picks; a process the test starts (n8n, Redis, …)
// is handed one that nothing listens on. Both come from the system's choice of port 0.
import type { Server as HttpServer } from 'http';
import { createServer, type AddressInfo, type Server } from 'net';

/** Starts `server` listening on 127.0.0.1 on a port the system picks; resolves with that port. */
export async function listenOnLoopback(server: HttpServer | Server): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return (server.address() as AddressInfo).port;
}

/** A port of 127.0.0.1 that nothing listens on right now (and that none of `taken` names), for another process. */
export async function freePort(taken: number[] = []): Promise<number> {
	for (;;) {
		const server = createServer();
		const port = await listenOnLoopback(server);
		await new Promise<void>((resolve) => server.close(() => resolve()));
		if (!taken.includes(port)) return port;
	}
}
