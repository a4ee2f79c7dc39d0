import { createX3Gateway } from '../transport/gateway';
import type { X3Gateway, X3Layout } from '../transport/gateway.types';
import { getApiNames, getLayout, getReadApi, nodeParameter } from './context';
import type { NodeContext } from './context';

/**
 * The one place operations and dropdowns get their X3Gateway from; unit tests replace this module with an
 * in-memory gateway. The transport reads the credentials (sageX3Api for SOAP and REST, sageX3ConnectedAppApi
 * or sageX3CloudOAuth2Api for GraphQL) and shares the X3 pool throttle between executions.
 */
export async function getGateway(context: NodeContext, layout?: X3Layout): Promise<X3Gateway> {
	const apiNames = getApiNames(context);
	return createX3Gateway(context, {
		soapNames: apiNames.soap,
		graphqlNames: apiNames.graphql,
		restNames: apiNames.rest,
		readApi: getReadApi(context),
		// Post Spend passes the layout refined by Check X3 Setup (lengths from getDescription).
		layout: layout ?? getLayout(context),
		soapCredentialType: 'sageX3Api',
		graphqlCredentialType:
			nodeParameter<string>(context, 'readApi', 'soap') === 'graphqlCloud'
				? 'sageX3CloudOAuth2Api'
				: 'sageX3ConnectedAppApi',
	});
}
