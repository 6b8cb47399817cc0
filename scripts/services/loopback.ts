// A test's own HTTP server (a fake model, a file server) on a free port of 127.0.0.1.
import type { Server } from 'http';
import type { AddressInfo } from 'net';

/** Starts `server` listening on 127.0.0.1 on a port the system picks; resolves with that port. */
export async function listenOnLoopback(server: Server): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	return (server.address() as AddressInfo).port;
}
