/**
 * The Sage X3 Trigger's node-level parts without X3: its description (a polling trigger), the parameters it
 * refuses before calling X3, what starts the change state over, and the output item's shape.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { SageX3Trigger } from '../../nodes/SageX3Trigger/SageX3Trigger.node';
import { changeItem, readTriggerConfig } from '../../nodes/SageX3Trigger/poller';
import { TEST_NODE } from './x3FakeContext';

function context(parameters: IDataObject): IPollFunctions {
	return {
		getNode: () => TEST_NODE,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async () => {
			throw new Error('no X3 call expected');
		},
	} as unknown as IPollFunctions;
}

describe('Sage X3 Trigger description', () => {
	const { description } = new SageX3Trigger();

	it('is a polling trigger with no input, and one credential per read API', () => {
		expect(description.polling).toBe(true);
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.credentials?.map((c) => [c.name, c.displayOptions?.show?.readApi])).toEqual([
			['sageX3Api', ['soap', 'rest']],
			['sageX3ConnectedAppApi', ['graphql']],
			['sageX3CloudOAuth2Api', ['graphqlCloud']],
		]);
	});
});

describe('Sage X3 Trigger configuration', () => {
	const base = { readApi: 'soap', watch: ['account', 'dimension'], dimensionTypes: ['DEP'] };

	it('refuses nothing watched, and dimension values without types', () => {
		expect(() => readTriggerConfig(context({ ...base, watch: [] }))).toThrow(
			'Choose at least one kind of X3 master data to watch',
		);
		expect(() => readTriggerConfig(context({ ...base, dimensionTypes: [] }))).toThrow(
			'Choose the dimension types whose values are watched',
		);
		expect(() =>
			readTriggerConfig(context({ ...base, options: { maxRecordsPerKind: 0 } })),
		).toThrow('Max Records per Kind must be a whole number of at least 1');
		expect(() => readTriggerConfig(context({ ...base, options: { overlapMinutes: -1 } }))).toThrow(
			'Stamp Overlap (Minutes) must be zero or more',
		);
	});

	it('starts over when what is watched changes, not when the read API or the options do', () => {
		const key = (parameters: IDataObject) => readTriggerConfig(context(parameters)).configKey;
		expect(key({ ...base, readApi: 'graphql', options: { overlapMinutes: 5 } })).toBe(key(base));
		expect(key({ ...base, dimensionTypes: ['DEP', 'CCT'] })).not.toBe(key(base));
		expect(key({ ...base, dimensionTypes: ['CCT', 'DEP'] })).toBe(
			key({ ...base, dimensionTypes: ['DEP', 'CCT'] }),
		);
		expect(key({ ...base, watch: ['account'] })).not.toBe(key(base));
		expect(key({ ...base, x3Setup: { chartOfAccounts: 'OTHER' } })).not.toBe(key(base));
	});

	it('stamps are used unless Full Comparison is chosen', () => {
		expect(readTriggerConfig(context(base)).useStamps).toBe(true);
		expect(
			readTriggerConfig(context({ ...base, options: { changeDetection: 'full' } })).useStamps,
		).toBe(false);
	});
});

describe('output item', () => {
	it('carries chart on accounts, dimensionType on dimension values, and deleted only when gone', () => {
		expect(
			changeItem({
				kind: 'account',
				code: '625100',
				chart: 'CA_FRA',
				dimensionType: 'ignored',
				label: 'Travel',
				active: true,
				updatedAt: null,
				change: 'new',
			}).json,
		).toEqual({
			kind: 'account',
			code: '625100',
			label: 'Travel',
			active: true,
			chart: 'CA_FRA',
			updatedAt: null,
			change: 'new',
		});
		expect(
			changeItem({
				kind: 'dimension',
				code: 'ENG',
				dimensionType: 'DEP',
				label: null,
				active: false,
				updatedAt: null,
				change: 'closed',
				deleted: true,
			}).json,
		).toEqual({
			kind: 'dimension',
			code: 'ENG',
			label: null,
			active: false,
			dimensionType: 'DEP',
			updatedAt: null,
			change: 'closed',
			deleted: true,
		});
	});
});
