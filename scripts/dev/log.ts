// What the dev loop prints of its own (n8n's and tsc's lines carry their own prefix).
export const say = (line: string): void => console.log(`[dev] ${line}`);

/** The time since `t0`, as the loop prints it. */
export const since = (t0: number): string => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
