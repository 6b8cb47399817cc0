// The parts of a stop that do not need the engine: an n8n without a cancel signal, and the retry wait on the
// n8n-workflow 1.x `sleep` (n8n 1.123), which takes no signal.
import { executionSignal, pause } from '../../nodes/OnOfficeFileUpload/transport/stop';

describe('the execution signal', () => {
	test('a context without getExecutionCancelSignal, or one that returns nothing, is never stopped', () => {
		expect(executionSignal({})).toBeUndefined();
		expect(executionSignal({ getExecutionCancelSignal: () => undefined })).toBeUndefined();
		expect(executionSignal({ getExecutionCancelSignal: 'not a function' })).toBeUndefined();
	});

	test('the signal is asked for with the context as `this`', () => {
		const controller = new AbortController();
		const ctx = {
			signal: controller.signal,
			getExecutionCancelSignal(this: { signal: AbortSignal }) {
				return this.signal;
			},
		};
		expect(executionSignal(ctx)).toBe(controller.signal);
	});
});

describe('the retry wait', () => {
	test('without a signal it simply waits', async () => {
		expect(await pause(5, undefined)).toBe(false);
	});

	test('a signal that was aborted before the wait: no wait at all', async () => {
		const controller = new AbortController();
		controller.abort();
		expect(await pause(600_000, controller.signal)).toBe(true);
	});

	test('a stop during the wait ends it at once', async () => {
		const controller = new AbortController();
		const waited = pause(600_000, controller.signal);
		controller.abort();
		expect(await waited).toBe(true);
	});

	test('a wait that runs out is not a stop, and leaves no listener on the signal', async () => {
		const controller = new AbortController();
		expect(await pause(5, controller.signal)).toBe(false);
		const { getEventListeners } = jest.requireActual<typeof import('events')>('events');
		expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
	});

	test('with n8n-workflow 1.x, whose sleep ignores the signal, a stop still ends the wait at once', async () => {
		// n8n 1.123 ships n8n-workflow 1.120, whose `sleep(ms)` takes no signal; it cannot be installed beside 2.41
		// here, so its behaviour is stood in for: a timer that the signal does not end.
		const timers: NodeJS.Timeout[] = [];
		let outcome: Promise<boolean> | undefined;
		const controller = new AbortController();
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => ({
				...jest.requireActual('n8n-workflow'),
				sleep: async (ms: number) =>
					await new Promise<void>((resolve) => timers.push(setTimeout(resolve, ms))),
			}));
			const isolated = jest.requireActual<
				typeof import('../../nodes/OnOfficeFileUpload/transport/stop')
			>('../../nodes/OnOfficeFileUpload/transport/stop');
			outcome = isolated.pause(600_000, controller.signal);
		});
		controller.abort();
		try {
			expect(await outcome).toBe(true);
			expect(timers).toHaveLength(1);
		} finally {
			for (const timer of timers) clearTimeout(timer);
			jest.dontMock('n8n-workflow');
		}
	});
});
