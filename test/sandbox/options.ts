// What a sandbox can be told when it starts, and the defaults. The switches (all but host, port, token, secret and
// contentLimitBytes) can also be changed while it runs, through `sandbox.options`.
import { MiB } from '../../scripts/lib/bytes';

export const DEFAULT_TOKEN = 'sandboxtoken0123456789abcdefABCD';
export const DEFAULT_SECRET = 'sandboxsecret0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNO';

/** How a sandbox is started; all optional. */
export interface SandboxOptions {
	host?: string;
	port?: number;
	token?: string;
	secret?: string;
	/** The top-level errorcode when an action failed: 97 as documented, or 0 as seen in captured 137 answers. */
	failedActionTopLevel?: 97 | 0;
	/** A body over this many bytes gets HTTP 413, like a PHP server's post_max_size. */
	maxRequestBytes?: number;
	/** Added to every answer. */
	latencyMs?: number;
	/**
	 * Shifts the sandbox's clock: the timestamp window (136), the `modified` time of files and the HTTP Date header
	 * all follow it, as they would on a server whose clock is off.
	 */
	clockSkewSeconds?: number;
	/** Files up to this size keep their bytes (for `get file` content and byte comparisons); larger keep a hash. */
	contentLimitBytes?: number;
	/**
	 * Whether the API user may read estates and addresses (default true). Without: reads and searches answer with no
	 * records, `get file` is refused (149 estate, 292 address); uploads still work.
	 */
	readRights?: boolean;
	/** How a search word matches a field: anywhere in it (default) or at its start. onOffice does not document it. */
	searchMatch?: 'contains' | 'prefix';
}

export type SandboxSettings = Required<Omit<SandboxOptions, 'host' | 'port' | 'token' | 'secret'>>;

export function settingsFrom(options: SandboxOptions): SandboxSettings {
	return {
		failedActionTopLevel: options.failedActionTopLevel ?? 97,
		maxRequestBytes: options.maxRequestBytes ?? 64 * MiB,
		latencyMs: options.latencyMs ?? 0,
		clockSkewSeconds: options.clockSkewSeconds ?? 0,
		contentLimitBytes: options.contentLimitBytes ?? 64 * MiB,
		readRights: options.readRights ?? true,
		searchMatch: options.searchMatch ?? 'contains',
	};
}
