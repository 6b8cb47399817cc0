// Exit code 0 when the n8n line asked for (`--n8n 1.x`; 2.x by default) is installed and checked in the cache, 1
// when a run would install it first: .ci/run uses it to estimate whether the 1.x line fits its time budget.
import { isReady, lineFromArgs } from '../services/install-n8n';

const line = lineFromArgs();
const ready = isReady(undefined, line);
console.log(
	`n8n ${line.n8n} on Node ${line.node}: ${ready ? 'installed and checked' : 'not installed yet'}`,
);
process.exit(ready ? 0 : 1);
