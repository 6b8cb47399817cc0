// Allowed Hosts, table-driven: which URLs a pattern lets through, and which patterns are refused.
import {
	hostAllowed,
	parseHostPatterns,
	type HostPattern,
} from '../../nodes/OnOfficeFileUpload/helpers/hosts';

const patterns = (text: string) => parseHostPatterns(text) as HostPattern[];

test.each([
	// `*.` and a domain: every host below it, never the domain itself or a look-alike.
	['*.example.com', 'https://a.example.com/tour', true],
	['*.example.com', 'https://b.a.example.com/tour', true],
	['*.example.com', 'https://example.com/tour', false],
	['*.example.com', 'https://example.com.evil/tour', false],
	['*.example.com', 'https://badexample.com/tour', false],
	['*.example.com', 'https://a.example.com.evil/tour', false],
	// A plain host: that host only.
	['youtu.be', 'https://youtu.be/abc', true],
	['youtu.be', 'https://www.youtu.be/abc', false],
	// Case and IDN: compared as URL parsing gives them (lower case, punycode), in the pattern as in the URL.
	['YouTu.BE', 'https://YOUTU.be/abc', true],
	['bücher.example', 'https://xn--bcher-kva.example/x', true],
	['xn--bcher-kva.example', 'https://BÜCHER.example/x', true],
	['*.bücher.example', 'https://www.bücher.example/x', true],
	['bücher.example', 'https://bucher.example/x', false],
	// Ports and a trailing dot do not change the host.
	['example.com', 'https://example.com:8443/x', true],
	['example.com', 'http://example.com./x', true],
	// The user part of a URL is not its host.
	['example.com', 'https://example.com@evil.example/x', false],
	['example.com', 'https://evil.example@example.com/x', true],
	['example.com', 'https://example.com:pw@evil.example/x', false],
	// IP addresses only where listed.
	['127.0.0.1', 'http://127.0.0.1:8080/file.pdf', true],
	['*.example.com', 'http://127.0.0.1/file.pdf', false],
	// Several patterns; empty means any host.
	['youtu.be, *.matterport.com', 'https://my.matterport.com/show/?m=1', true],
	['youtu.be *.matterport.com\nvimeo.com', 'https://vimeo.com/1', true],
	['', 'https://anything.example/x', true],
	// Not a URL: never allowed where there is a limit.
	['example.com', 'not a url', false],
])('%s lets %s through: %s', (text, url, allowed) => {
	expect(hostAllowed(url, patterns(text))).toBe(allowed);
});

test.each([
	'https://youtube.com/x',
	'*youtube.com',
	'youtube.com:443',
	'*.',
	'*.*.example.com',
	'user@example.com',
	'example.com/path',
])('%s is refused as a pattern, and the refusal names it', (entry) => {
	const result = parseHostPatterns(`youtu.be, ${entry}`);
	expect(result).toHaveProperty('problem');
	expect((result as { problem: string }).problem).toContain(`"${entry.split(/[\s,;]+/)[0]}"`);
});
