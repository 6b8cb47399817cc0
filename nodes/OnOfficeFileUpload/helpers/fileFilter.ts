// The File Filter option: which files of an item are not uploaded (Outlook's winmail.dat, calendar invites,
// business cards, signature images, tracking pixels). Pure: parsing the rules and judging one file.

export interface FileFilter {
	/** MIME patterns (`image/*`, `application/pdf`) and extensions (`.pdf`), lower case; empty: every type. */
	onlyTypes: string[];
	/** Files smaller than this many bytes are left out. */
	minBytes: number;
	/** Name patterns with `*` and `?`, matched case-insensitively against the whole file name. */
	excludeNames: string[];
}

export const NO_FILTER: FileFilter = { onlyTypes: [], minBytes: 0, excludeNames: [] };

const list = (value: unknown) =>
	String(value ?? '')
		.split(/[,;\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');

/** The option's raw values as a filter, or the reason one of them cannot be read (field and what to write). */
export function parseFileFilter(raw: {
	onlyTypes?: unknown;
	minSizeKiB?: unknown;
	excludeNames?: unknown;
}): FileFilter | { problem: string } {
	const onlyTypes = list(raw.onlyTypes).map((t) => t.toLowerCase());
	const odd = onlyTypes.find(
		(t) =>
			!(t.startsWith('.') ? /^\.[a-z0-9]+$/.test(t) : /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/.test(t)),
	);
	if (odd) {
		return {
			problem: `"${odd}" in "Only File Types" is neither a MIME type (image/*, application/pdf) nor an extension (.pdf); separate entries with commas`,
		};
	}
	const kib = raw.minSizeKiB === undefined || raw.minSizeKiB === '' ? 0 : Number(raw.minSizeKiB);
	if (!Number.isFinite(kib) || kib < 0)
		return { problem: `"Minimum Size (KiB)" must be 0 or more, got ${String(raw.minSizeKiB)}` };
	return { onlyTypes, minBytes: Math.round(kib * 1024), excludeNames: list(raw.excludeNames) };
}

function globToRegExp(pattern: string): RegExp {
	const escaped = pattern
		.replace(/[.+^${}()|[\]\\]/g, '\\$&')
		.replace(/\*/g, '.*')
		.replace(/\?/g, '.');
	return new RegExp(`^${escaped}$`, 'i');
}

function typeMatches(entry: string, fileName: string, mimeType: string): boolean {
	if (entry.startsWith('.')) return fileName.toLowerCase().endsWith(entry);
	const [type, subtype] = entry.split('/');
	const [fileType, fileSubtype] = mimeType.toLowerCase().split(';')[0].trim().split('/');
	return type === fileType && (subtype === '*' || subtype === fileSubtype);
}

/** Which rule leaves the file out, in words for the output; undefined when it is uploaded. */
export function leftOutBy(
	filter: FileFilter,
	file: { fileName: string; mimeType: string; size: number },
): string | undefined {
	const name = filter.excludeNames.find((pattern) => globToRegExp(pattern).test(file.fileName));
	if (name) return `its name matches "${name}" (Names to Leave Out)`;
	if (
		filter.onlyTypes.length &&
		!filter.onlyTypes.some((entry) => typeMatches(entry, file.fileName, file.mimeType))
	) {
		return `${file.fileName} (${file.mimeType.toLowerCase()}) is none of ${filter.onlyTypes.join(', ')} (Only File Types)`;
	}
	if (file.size < filter.minBytes)
		return `it has ${file.size} bytes, less than ${filter.minBytes} (Minimum Size)`;
	return undefined;
}
