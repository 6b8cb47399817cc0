// Faults a test arms on the sandbox, and which request or action each one hits. What a fault does to the request is
// the server's part.
import { ACTION } from './contract';
import type { UploadStep } from './handlers';

export interface FaultRule {
	/** Which requests it applies to, judged by their first action. */
	when?: {
		resourcetype?: string;
		action?: keyof typeof ACTION;
		step?: UploadStep;
		/** Fire from the nth matching request on (1-based); default 1. */
		nth?: number;
	};
	/**
	 * http: answer with `status` (and `body`, default a proxy-style HTML page) without carrying the request out.
	 * drop: close the connection without carrying the request out.
	 * lostAnswer: carry the request out, then close the connection without answering.
	 * delay: wait `delayMs`, then carry it out and answer (past the client's timeout, the answer is lost too).
	 * actionError: answer the matching actions (all, or those whose parameters contain `parameter`) with `code`.
	 * malformed: answer HTTP 200 with `body` (default: not JSON).
	 * lateBlock: before a step 2 is carried out, append 3 stray bytes to its upload, as a block from a request the
	 * client had given up on would.
	 * hold: keep the request in flight, unanswered and not carried out, until the client closes the connection (its
	 * timeout, an abort) or the sandbox stops; `closedByClient` then says which.
	 */
	kind:
		'http' | 'drop' | 'lostAnswer' | 'delay' | 'actionError' | 'malformed' | 'lateBlock' | 'hold';
	status?: number;
	body?: string;
	/** http: headers to answer with besides the usual ones, e.g. `{ 'Retry-After': '2' }`. */
	headers?: Record<string, string>;
	delayMs?: number;
	code?: number;
	parameter?: Record<string, unknown>;
	/** How many matching requests it hits; default 1. */
	times?: number;
}

interface ArmedFault extends FaultRule {
	seen: number;
	fired: number;
}

/** The armed faults, in the order they were armed; each counts what it has seen and hit. */
export class Faults {
	private armed: ArmedFault[] = [];

	get count(): number {
		return this.armed.length;
	}

	inject(...rules: FaultRule[]): void {
		this.armed.push(...rules.map((rule) => ({ ...rule, seen: 0, fired: 0 })));
	}

	clear(): void {
		this.armed = [];
	}

	/** The fault that hits this request (any kind but actionError), judged by its first action; counts it. */
	forRequest(
		step: UploadStep | undefined,
		first: Record<string, unknown> | undefined,
	): FaultRule | undefined {
		for (const fault of this.armed) {
			const when = fault.when ?? {};
			if (when.resourcetype && first?.resourcetype !== when.resourcetype) continue;
			if (when.action && first?.actionid !== ACTION[when.action]) continue;
			if (when.step && step !== when.step) continue;
			if (fault.kind === 'actionError') continue;
			fault.seen += 1;
			if (fault.seen >= (when.nth ?? 1) && fault.fired < (fault.times ?? 1)) {
				fault.fired += 1;
				return fault;
			}
		}
		return undefined;
	}

	/** The error code an actionError fault answers this action with; counts it. */
	forAction(action: Record<string, unknown>, step: UploadStep | undefined): number | undefined {
		const p = (action.parameters ?? {}) as Record<string, unknown>;
		for (const fault of this.armed) {
			if (fault.kind !== 'actionError') continue;
			const when = fault.when ?? {};
			if (when.resourcetype && action.resourcetype !== when.resourcetype) continue;
			if (when.step && step !== when.step) continue;
			if (fault.parameter && !Object.entries(fault.parameter).every(([k, v]) => p[k] === v))
				continue;
			if (fault.fired >= (fault.times ?? 1)) continue;
			fault.fired += 1;
			return fault.code ?? 1;
		}
		return undefined;
	}
}
