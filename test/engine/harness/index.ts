// Runs workflows through n8n-core's real execution engine (WorkflowExecute + n8n-workflow's Workflow), with the
// real credential `authenticate`, the real binary-data service and real HTTP. What is ours here is only what the
// n8n application would otherwise provide, a file each: the node registry, the credential store, the log sink, the
// binary-data set-up, a run, the credential's Test, the editor's methods.
export { binaryStoragePath, useBinaryMode, type BinaryMode } from './binaryMode';
export { testCredential } from './credentialTest';
export { listSearch, loadOptions } from './editor';
export { logLines, onLogLine, type LogLine } from './log';
export { NODE_TYPE, registerNodeType } from './registry';
export {
	chain,
	makeAdditionalData,
	node,
	runWorkflow,
	type StartedRun,
	type WorkflowResult,
	type WorkflowSpec,
} from './run';
