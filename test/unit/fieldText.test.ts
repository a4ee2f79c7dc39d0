/**
 * X3 field widths count characters: a supplier name cut in UTF-16 units left half an emoji (a lone
 * surrogate) in X3 when an emoji straddled the 35th (name) or 10th (short name) position (found by
 * test/reliability/hostileInput).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { cutToLength } from '../../nodes/common/fieldText';
import { getGateway } from '../../nodes/SageX3/helpers/gateway';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { executeContext, seededGateway, type FakeX3Gateway } from '../support/sageX3NodeHarness';
import { makeSpendItem } from '../support/sageX3NodeSpendItems';

jest.mock('../../nodes/SageX3/helpers/gateway', () => ({ getGateway: jest.fn() }));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cutToLength', () => {
	it('counts code points and never splits a surrogate pair', () => {
		expect(cutToLength('abc', 5)).toBe('abc');
		expect(cutToLength('abcdef', 3)).toBe('abc');
		expect(cutToLength('ab😀cd', 3)).toBe('ab😀');
		expect(cutToLength('ab😀cd', 2)).toBe('ab');
		expect(cutToLength('😀😀😀', 2)).toBe('😀😀');
		expect(cutToLength('abc', 0)).toBe('');
		expect(LONE_SURROGATE.test(cutToLength('x'.repeat(34) + '😀 tail', 35))).toBe(false);
	});
});

describe('Supplier: Find or Create with characters outside the BMP', () => {
	async function findOrCreate(gateway: FakeX3Gateway, vendorName: string): Promise<IDataObject> {
		jest.mocked(getGateway).mockResolvedValue(gateway);
		const context = executeContext(
			{
				resource: 'supplier',
				readApi: 'soap',
				x3Setup: {},
				operation: 'findOrCreate',
				vendorNameSource: 'spendItem',
				notFoundPolicy: 'create',
				category: 'SUP',
				aliases: {},
				options: {},
			},
			[makeSpendItem('expense_1', { vendorName })],
		);
		const [output]: INodeExecutionData[][] = await new SageX3().execute.call(context);
		return output[0].json.supplier as IDataObject;
	}

	it('cuts name and short name at character boundaries, and finds the supplier again', async () => {
		const gateway = seededGateway();
		// Emoji at UTF-16 units 9-10 and 34-35: cuts at 10 and 35 units would split them.
		const vendorName = 'Café ☕ ab😀 Romeo 1234567890123456😀 tail';
		const created = await findOrCreate(gateway, vendorName);
		const stored = gateway.suppliers[gateway.suppliers.length - 1];
		expect(created).toMatchObject({ matchedBy: 'created' });
		expect(stored.name).toBe(Array.from(vendorName).slice(0, 35).join('').trim());
		expect(stored.shortName).toBe('Café ☕ ab😀');
		expect(LONE_SURROGATE.test(stored.name)).toBe(false);
		expect(LONE_SURROGATE.test(String(stored.shortName))).toBe(false);

		const again = await findOrCreate(gateway, vendorName);
		expect(again).toMatchObject({ matchedBy: 'name', code: created.code });
		expect(gateway.callCount('createSupplier')).toBe(1);
	});
});
