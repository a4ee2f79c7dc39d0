/**
 * The per-item loop of the Sage X3 node, in order and concurrently: output order, pairing, continueOnFail and
 * the stop on the first failure are the same whatever the concurrency.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { forEachItem } from '../../nodes/SageX3/helpers/utils';
import { TEST_NODE } from './x3FakeContext';

function context(continueOnFail: boolean): IExecuteFunctions {
	return {
		getNode: () => TEST_NODE,
		continueOnFail: () => continueOnFail,
		helpers: {
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				data: INodeExecutionData[],
				meta: { itemData: { item: number } },
			) => data.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
	} as unknown as IExecuteFunctions;
}

const items: INodeExecutionData[] = Array.from({ length: 12 }, (_, i) => ({ json: { n: i } }));

/** A task that takes longer for early items, so concurrent runs finish out of order. */
function slowFirst(failAt: number[] = []) {
	const started: number[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const run = async (index: number, item: INodeExecutionData) => {
		started.push(index);
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await new Promise((resolve) => setImmediate(resolve));
		for (let i = 0; i < 12 - index; i++) await Promise.resolve();
		inFlight--;
		if (failAt.includes(index)) throw new Error(`item ${index} failed`);
		return { doubled: (item.json.n as number) * 2 };
	};
	return { run, started, maxInFlight: () => maxInFlight };
}

describe.each([1, 4])('forEachItem with concurrency %i', (concurrency) => {
	it('keeps input order and pairs every output item with its input', async () => {
		const task = slowFirst();
		const output = await forEachItem(context(false), items, task.run, { concurrency });
		expect(output.map((item) => item.json.doubled)).toEqual(items.map((_, i) => i * 2));
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
		expect(task.maxInFlight()).toBe(concurrency);
	});

	it('with continueOnFail, turns each failure into an error item in its place and goes on', async () => {
		const task = slowFirst([3, 7]);
		const output = await forEachItem(context(true), items, task.run, {
			concurrency,
			keepInputOnError: true,
		});
		expect(output).toHaveLength(items.length);
		expect(output[3].json).toMatchObject({ error: 'item 3 failed' });
		expect(output[7].json).toMatchObject({ error: 'item 7 failed' });
		expect(output[4].json.doubled).toBe(8);
		expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, i) => ({ item: i })));
	});

	it('without continueOnFail, throws the first failing item in input order and starts no later item', async () => {
		const task = slowFirst([5, 2]);
		const failure = forEachItem(context(false), items, task.run, { concurrency });
		await expect(failure).rejects.toThrow(NodeOperationError);
		await expect(
			forEachItem(context(false), items, slowFirst([5, 2]).run, { concurrency }),
		).rejects.toMatchObject({ message: 'item 2 failed', context: { itemIndex: 2 } });
		// Items already in flight finish; none is started after the failure is known.
		expect(Math.max(...task.started)).toBeLessThan(2 + concurrency + 1);
	});
});
