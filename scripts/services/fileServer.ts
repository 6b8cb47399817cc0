// Files at URLs for the tests (Upload File's File Source "File at a URL"): a loopback HTTP server that
// serves fixed bytes under fixed paths with their type and size, and records every request with the host it was
// addressed by, so a test can tell that a refused download never arrived.
import { createServer } from 'http';
import { listenOnLoopback } from '../lib/ports';

export interface ServedFile {
	path: string;
	mimeType: string;
	bytes: Buffer;
}

export interface FileServer {
	port: number;
	/** The file's address through `host` (127.0.0.1 or localhost). */
	url(path: string, host?: string): string;
	/** Every request so far: method, path and the Host header. */
	requests: Array<{ method: string; path: string; host: string }>;
	stop(): Promise<void>;
}

export async function startFileServer(files: ServedFile[]): Promise<FileServer> {
	const requests: FileServer['requests'] = [];
	const server = createServer((req, res) => {
		const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
		requests.push({ method: req.method ?? '', path, host: req.headers.host ?? '' });
		const file = files.find((f) => f.path === path);
		if (!file) {
			res.writeHead(404, { 'content-type': 'text/plain' });
			res.end('not found');
			return;
		}
		res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
		res.end(req.method === 'HEAD' ? undefined : file.bytes);
	});
	const port = await listenOnLoopback(server);
	return {
		port,
		url: (path, host = '127.0.0.1') =>
			`http://${host}:${port}${path.split('/').map(encodeURIComponent).join('/')}`,
		requests,
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
