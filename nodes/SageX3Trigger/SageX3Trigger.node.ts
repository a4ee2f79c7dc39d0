import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getDimensionTypes } from '../SageX3/methods/loadOptions';
import { testSageX3ApiCredential } from '../SageX3/transport/credentialTests';
import { sageX3TriggerProperties } from './description';
import { pollX3MasterData } from './poller';

/**
 * Polls Sage X3 for GL accounts, dimension values and suppliers that were added, renamed, closed or deleted since
 * the last poll, one item per change: { kind, code, label, active, dimensionType?, chart?, updatedAt, change }
 * (README, "Sage X3 Trigger"). Reads only, through the read API chosen on the node (the Sage X3 node's credentials
 * and transport).
 */
export class SageX3Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sage X3 Trigger',
		name: 'sageX3Trigger',
		icon: { light: 'file:sageX3Trigger.svg', dark: 'file:sageX3Trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Watch " + $parameter["watch"].join(", ")}}',
		description:
			'Starts the workflow when GL accounts, dimension values or suppliers change in Sage X3',
		defaults: { name: 'Sage X3 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'sageX3Api',
				required: true,
				testedBy: 'sageX3ApiTest',
				displayOptions: { show: { readApi: ['soap', 'rest'] } },
			},
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
		properties: sageX3TriggerProperties,
	};

	methods = {
		loadOptions: { getDimensionTypes },
		credentialTest: { sageX3ApiTest: testSageX3ApiCredential },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollX3MasterData.call(this);
	}
}
