// Changes arrive in bursts (an editor's save, tsc reporting a rebuild): each kind acts once they settle, and none
// acts once the dev loop stops.
export class Debouncer {
	private timers = new Map<string, NodeJS.Timeout>();
	private stopped = false;

	/** Runs `fn` `ms` after the last call with this `key`. */
	debounce(key: string, ms: number, fn: () => void): void {
		clearTimeout(this.timers.get(key));
		this.timers.set(
			key,
			setTimeout(() => {
				this.timers.delete(key);
				if (!this.stopped) fn();
			}, ms),
		);
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers.values()) clearTimeout(timer);
	}
}
