// The binary-data service as n8n sets it up at start, in inline (`default`) or `filesystem` mode, in a temporary folder.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';

import { CapturingLogger } from './log';

export type BinaryMode = 'default' | 'filesystem';

/** Where filesystem-mode binaries of this process are stored (a temporary folder), for cleaning up. */
export function binaryStoragePath(): string | undefined {
	return storagePath;
}

// Under Jest every test file loads this module afresh: remove that file's binaries when it is done. Scripts
// (demo, bench) remove binaryStoragePath() themselves.
if (typeof afterAll === 'function') {
	afterAll(() => {
		if (storagePath) rmSync(storagePath, { recursive: true, force: true });
	});
}

let currentMode: BinaryMode | undefined;
let storagePath: string | undefined;

/** Sets up the binary-data service the way n8n does at start, in inline (`default`) or `filesystem` mode. */
export async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (currentMode === mode) return;
	storagePath ??= mkdtempSync(join(tmpdir(), 'onoffice-n8n-binary-'));
	Container.set(Logger, new CapturingLogger() as unknown as Logger);
	const config = Object.assign(Object.create(BinaryDataConfig.prototype) as BinaryDataConfig, {
		mode,
		availableModes: ['default', 'filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'engine-tests',
		dbMaxFileSize: 512,
	});
	const errorReporter = { error: () => undefined, warn: () => undefined, info: () => undefined };
	const service = new BinaryDataService(
		config,
		errorReporter as never,
		new CapturingLogger() as unknown as Logger,
	);
	await service.init();
	Container.set(BinaryDataService, service);
	currentMode = mode;
}
