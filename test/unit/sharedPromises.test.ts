import { SharedPromise, SharedPromises } from '../../nodes/common/sharedPromises';

describe('SharedPromises', () => {
	it('starts one call per key for concurrent and later callers, and one per distinct key', async () => {
		const cache = new SharedPromises<string, string>();
		const starts: string[] = [];
		const start = (key: string) => async () => {
			starts.push(key);
			return `value of ${key}`;
		};
		const results = await Promise.all([
			cache.get('a', start('a')),
			cache.get('a', start('a')),
			cache.get('b', start('b')),
		]);
		expect(await cache.get('a', start('a'))).toBe('value of a');
		expect(results).toEqual(['value of a', 'value of a', 'value of b']);
		expect(starts).toEqual(['a', 'b']);
	});

	it('gives every waiting caller the rejection, then forgets it so the next caller tries again', async () => {
		const cache = new SharedPromises<string, number>();
		let starts = 0;
		// The second caller asks before the first call's rejection is handled: it gets the same promise.
		const waiting = [
			cache.get('k', async () => {
				starts++;
				throw new Error('X3 pool busy');
			}),
			cache.get('k', async () => {
				starts++;
				return 0;
			}),
		];
		expect(waiting[1]).toBe(waiting[0]);
		await expect(waiting[0]).rejects.toThrow('X3 pool busy');
		await expect(waiting[1]).rejects.toThrow('X3 pool busy');
		expect(cache.peek('k')).toBeUndefined();

		const retried = await cache.get('k', async () => {
			starts++;
			return 42;
		});
		expect(retried).toBe(42);
		expect(starts).toBe(2);
		expect(await cache.peek('k')).toBe(42);
	});

	it('does not start anything on peek', () => {
		const cache = new SharedPromises<string, number>();
		expect(cache.peek('missing')).toBeUndefined();
	});
});

describe('SharedPromise', () => {
	it('keeps a success and forgets a failure', async () => {
		const once = new SharedPromise<string>();
		await expect(once.get(async () => Promise.reject(new Error('no credential')))).rejects.toThrow(
			'no credential',
		);
		let starts = 0;
		const start = async () => {
			starts++;
			return 'client';
		};
		expect(await Promise.all([once.get(start), once.get(start)])).toEqual(['client', 'client']);
		expect(await once.get(start)).toBe('client');
		expect(starts).toBe(1);
	});
});
