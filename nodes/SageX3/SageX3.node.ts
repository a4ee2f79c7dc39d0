import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { properties } from './actions/versionDescription';
import { listSearch, loadOptions } from './methods';
import { testSageX3ApiCredential } from './transport/credentialTests';

export class SageX3 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sage X3',
		name: 'sageX3',
		icon: { light: 'file:sageX3.svg', dark: 'file:sageX3.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Find or create suppliers, look up GL accounts and dimensions, and post Brex card spend as journal entries in Sage X3',
		defaults: { name: 'Sage X3' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
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
		],
		properties,
	};

	methods = {
		listSearch,
		loadOptions,
		credentialTest: { sageX3ApiTest: testSageX3ApiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
