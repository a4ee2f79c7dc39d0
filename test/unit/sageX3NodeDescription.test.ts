import type { INodeProperties } from 'n8n-workflow';

import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { testSageX3ApiCredential } from '../../nodes/SageX3/transport/credentialTests';
import codex from '../../nodes/SageX3/SageX3.node.json';

const node = new SageX3();
const { description } = node;

/** Every property, including those nested in collections and fixed collections. */
function allProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return allProperties(option.values);
			if ('type' in option) return allProperties([option as INodeProperties]);
			return [];
		});
		return [property, ...nested];
	});
}

describe('Sage X3 node description', () => {
	it('is a tool-usable action node with themed icons and a codex entry', () => {
		expect(description).toMatchObject({
			name: 'sageX3',
			usableAsTool: true,
			icon: { light: 'file:sageX3.svg', dark: 'file:sageX3.dark.svg' },
			inputs: ['main'],
			outputs: ['main'],
		});
		expect(codex.node).toBe('n8n-nodes-brex-sage-x3.sageX3');
		expect(codex.categories).toEqual(['Finance & Accounting']);
	});

	it('always uses the basic-auth credential (tested by the SOAP test) and a GraphQL credential only for GraphQL', () => {
		expect(description.credentials).toEqual([
			{ name: 'sageX3Api', required: true, testedBy: 'sageX3ApiTest' },
			{
				name: 'sageX3ConnectedAppApi',
				required: true,
				displayOptions: { show: { readApi: ['graphql'] } },
			},
			{
				name: 'sageX3CloudOAuth2Api',
				required: true,
				displayOptions: { show: { readApi: ['graphqlCloud'] } },
			},
		]);
		expect(node.methods.credentialTest.sageX3ApiTest).toBe(testSageX3ApiCredential);
	});

	it('has an operation selector per resource, each operation with an action', () => {
		const resources = description.properties.find((p) => p.name === 'resource')!.options as Array<{
			value: string;
		}>;
		for (const { value: resource } of resources) {
			const selector = description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
			);
			expect(selector).toBeDefined();
			for (const option of selector!.options as Array<{ action?: string }>)
				expect(option.action).toBeTruthy();
		}
	});

	it('references only dropdown methods the node has', () => {
		const properties = allProperties(description.properties);
		const loadOptions = properties.map((p) => p.typeOptions?.loadOptionsMethod).filter(Boolean);
		const listSearch = properties
			.flatMap((p) => p.modes ?? [])
			.map((mode) => mode.typeOptions?.searchListMethod)
			.filter(Boolean);
		for (const method of loadOptions)
			expect(Object.keys(node.methods.loadOptions)).toContain(method);
		for (const method of listSearch) expect(Object.keys(node.methods.listSearch)).toContain(method);
		expect(new Set(loadOptions)).toEqual(
			new Set(['getEntryTypes', 'getSites', 'getDimensionTypes', 'getDimensions']),
		);
		expect(new Set(listSearch)).toEqual(new Set(['searchSuppliers', 'searchAccounts']));
	});
});
