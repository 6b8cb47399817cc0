// Waiting in the tests and their services: a pause, and a poll until something holds.
export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

/** Checks `condition` every `everyMs` until it holds (true) or `timeoutMs` have passed (false). */
export async function pollUntil(
	condition: () => boolean | Promise<boolean>,
	timeoutMs: number,
	everyMs: number,
): Promise<boolean> {
	for (const end = Date.now() + timeoutMs; ; await sleep(everyMs)) {
		if (await condition()) return true;
		if (Date.now() > end) return false;
	}
}
