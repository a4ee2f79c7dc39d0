/**
 * One promise per key, shared by every caller that asks while it is pending or after it succeeded (many items
 * of an execution, one X3 call). A rejected promise is forgotten, so the next caller starts a fresh attempt:
 * a transient failure (or a credential filled in later) is never remembered for the rest of the execution.
 */
export class SharedPromises<Key, Value> {
	private readonly promises = new Map<Key, Promise<Value>>();

	get(key: Key, start: () => Promise<Value>): Promise<Value> {
		const known = this.promises.get(key);
		if (known) return known;
		const started = start();
		this.promises.set(key, started);
		started.catch(() => {
			if (this.promises.get(key) === started) this.promises.delete(key);
		});
		return started;
	}

	/** The promise for the key if one is pending or fulfilled; never starts one. */
	peek(key: Key): Promise<Value> | undefined {
		return this.promises.get(key);
	}
}

/** SharedPromises for a single value (a setup, a full scan). */
export class SharedPromise<Value> {
	private readonly shared = new SharedPromises<true, Value>();

	get(start: () => Promise<Value>): Promise<Value> {
		return this.shared.get(true, start);
	}
}
