// Allowed Hosts: which hosts a link or a file at a URL may come from, as the workflow builder writes them (`youtu.be`,
// `*.matterport.com`). Pure: reading the patterns, and judging one URL against them.

/** A host, or every host below a domain (`*.matterport.com`: `my.matterport.com`, not `matterport.com` itself). */
export interface HostPattern {
	/** Lower case, IDN as punycode (`xn--…`), no trailing dot. */
	host: string;
	subdomains: boolean;
}

/** A host name as URL parsing gives it: lower case, punycode, no trailing dot; undefined when it is none. */
function canonicalHost(text: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(`http://${text}`);
	} catch {
		return undefined;
	}
	// A pattern is a host name alone: no port, path, user or query.
	if (
		parsed.port ||
		parsed.pathname !== '/' ||
		parsed.search ||
		parsed.username ||
		parsed.password ||
		parsed.hash
	)
		return undefined;
	return parsed.hostname.replace(/\.$/, '');
}

/**
 * The field's patterns, separated by commas, spaces or new lines; or the first entry that is not a host name
 * (`https://youtube.com/x`, `*youtube.com`, `youtube.com:443`). Empty: no limit.
 */
export function parseHostPatterns(text: string): HostPattern[] | { problem: string } {
	const patterns: HostPattern[] = [];
	for (const entry of text.split(/[\s,;]+/).filter((e) => e !== '')) {
		const subdomains = entry.startsWith('*.');
		const host = canonicalHost(subdomains ? entry.slice(2) : entry);
		if (!host || host.includes('*')) {
			return {
				problem: `"${entry}" is not a host name or *. and a domain (e.g. youtu.be, *.matterport.com)`,
			};
		}
		patterns.push({ host, subdomains });
	}
	return patterns;
}

/** Whether the URL's host is one of the patterns (any port, any path; the user part of a URL is not its host). */
export function hostAllowed(url: string, patterns: HostPattern[]): boolean {
	if (patterns.length === 0) return true;
	let host: string;
	try {
		host = new URL(url).hostname.replace(/\.$/, '');
	} catch {
		return false;
	}
	return patterns.some((p) => (p.subdomains ? host.endsWith(`.${p.host}`) : host === p.host));
}
