// The sandbox of a Jest test file: one instance, started before the file's tests, stopped after them and (unless a
// test file keeps state across its tests) reset before each test.
import { OnOfficeSandbox, type SandboxOptions } from './server';

export function useSandbox(
	options: SandboxOptions = {},
	{ resetBeforeEach = true } = {},
): OnOfficeSandbox {
	const sandbox = new OnOfficeSandbox(options);
	beforeAll(() => sandbox.start());
	afterAll(() => sandbox.stop());
	if (resetBeforeEach) beforeEach(() => sandbox.reset());
	return sandbox;
}
