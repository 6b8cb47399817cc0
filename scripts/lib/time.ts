// Waiting in the tests and their services: a pause, and a poll until something holds.
export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));
