// The checks that keep the documentation whole: every relative link and anchor of a page resolves, and every
// `npm run <script>` a page names exists. Used on the repository (test/unit/docs.test.ts) and on the packed
// tarball (the same test, and npm run release:check), where a link works only if its target ships too.
import { posix } from 'path';

/** The pages the checks read: the README, the changelog, the contributors' guide and everything in docs/. */
export const DOC_PAGES = /^(README\.md|CHANGELOG\.md|CONTRIBUTING\.md|docs\/.+\.md)$/;

export interface Link {
	/** The target as written: `docs/operations.md#upload-file`, `#usage`, `https://…`. */
	target: string;
	line: number;
}

/** The text of a page without fenced code blocks (lines kept, so line numbers stay right). */
function withoutCodeBlocks(markdown: string): string[] {
	let fence: string | undefined;
	return markdown.split('\n').map((line) => {
		const opening = /^\s*(```+|~~~+)/.exec(line);
		if (fence === undefined && opening) {
			fence = opening[1];
			return '';
		}
		if (fence !== undefined) {
			if (line.trim().startsWith(fence)) fence = undefined;
			return '';
		}
		return line;
	});
}

/** Inline links and images, `[text](target)` and `![alt](target)`, outside code blocks and code spans. */
export function markdownLinks(markdown: string): Link[] {
	const links: Link[] = [];
	withoutCodeBlocks(markdown).forEach((line, i) => {
		const prose = line.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));
		for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
			links.push({ target: match[1], line: i + 1 });
	});
	return links;
}

/**
 * The anchors a page's headings get, as GitHub (and npm) make them: lower case, punctuation other than `-` and `_`
 * dropped, spaces as `-`, and `-1`, `-2` … for repeated headings.
 */
export function headingAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const line of withoutCodeBlocks(markdown)) {
		const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
		const slug = text
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * What is wrong with the links of `pages` (path -> text, paths relative to the package root with `/`): targets that
 * are not in `files`, and anchors that no heading of the target page makes. External links are not followed.
 */
export function linkProblems(pages: Map<string, string>, files: Set<string>): string[] {
	const problems: string[] = [];
	for (const [page, text] of pages) {
		for (const { target, line } of markdownLinks(text)) {
			if (EXTERNAL.test(target)) continue;
			const [path, anchor] = target.split('#', 2);
			const resolved =
				path === '' ? page : posix.normalize(posix.join(posix.dirname(page), decodeURI(path)));
			const where = `${page}:${line}: ${target}`;
			if (resolved.startsWith('../') || !files.has(resolved)) {
				problems.push(`${where}: ${resolved} is not there`);
				continue;
			}
			if (anchor === undefined) continue;
			const targetText = pages.get(resolved);
			if (targetText === undefined)
				problems.push(
					`${where}: #${anchor} points into ${resolved}, which is not a page that is read`,
				);
			else if (!headingAnchors(targetText).has(anchor))
				problems.push(`${where}: ${resolved} has no heading with the anchor #${anchor}`);
		}
	}
	return problems;
}

/** Every `npm run <script>` a page names (in prose and in code alike), with its line. */
export function npmRunScripts(markdown: string): Array<{ script: string; line: number }> {
	const found: Array<{ script: string; line: number }> = [];
	markdown.split('\n').forEach((line, i) => {
		for (const match of line.matchAll(/\bnpm run ([a-z][\w:.-]*[\w])/gi))
			found.push({ script: match[1], line: i + 1 });
	});
	return found;
}

/** `npm run` names on the pages that package.json does not define. */
export function scriptProblems(
	pages: Map<string, string>,
	scripts: Record<string, string>,
): string[] {
	const problems: string[] = [];
	for (const [page, text] of pages) {
		for (const { script, line } of npmRunScripts(text)) {
			if (!(script in scripts))
				problems.push(`${page}:${line}: npm run ${script}: package.json has no such script`);
		}
	}
	return problems;
}
