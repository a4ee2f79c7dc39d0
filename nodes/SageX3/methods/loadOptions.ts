import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getLayout } from '../helpers/context';
import { getGateway } from '../helpers/gateway';

function label(code: string, description: string | null): string {
	return description ? `${code} – ${description}` : code;
}

export async function getDimensionTypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const layout = getLayout(this);
	const gateway = await getGateway(this);
	const types = await gateway.listDimensionTypes();
	const known = new Map(types.map((type) => [type.code, type]));
	// Configured types first, in field order, then the folder's other types.
	const configured = layout.dimensionTypes.map((code) => ({
		name: `${label(code, known.get(code)?.description ?? null)}${known.has(code) ? '' : ' [not in X3]'}`,
		value: code,
	}));
	const others = types
		.filter((type) => !layout.dimensionTypes.includes(type.code))
		.map((type) => ({
			name: `${label(type.code, type.description)} [not configured]`,
			value: type.code,
		}));
	return [...configured, ...others];
}

/** Values of the dimension type chosen next to the field ("&type" in a collection) or in "dimensionType". */
export async function getDimensions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = String(
		this.getCurrentNodeParameter('&type') ?? this.getCurrentNodeParameter('dimensionType') ?? '',
	).trim();
	if (type === '') return [];
	const gateway = await getGateway(this);
	const dimensions = await gateway.searchDimensions(type, { limit: 200 });
	return dimensions.map((dimension) => ({
		name: label(dimension.code, dimension.description),
		value: dimension.code,
	}));
}

/**
 * Sites and entry types have no standard SOAP publication: when none is configured the list says so as its only
 * entry (with an empty value, the parameter's default) instead of failing the dropdown; the code can still be
 * typed or set by an expression.
 */
async function listOrHint(
	load: () => Promise<INodePropertyOptions[]>,
	what: string,
): Promise<INodePropertyOptions[]> {
	// Any other failure stays the dropdown's error (it is already a NodeOperationError or NodeApiError).
	const options = await load().catch(async (error: unknown) =>
		error instanceof Error && error.message.startsWith('No SOAP publication is configured')
			? null
			: await Promise.reject(error),
	);
	return (
		options ?? [
			{
				name: `Type the ${what} code (no SOAP publication lists them; see X3 Setup → API Name Overrides)`,
				value: '',
			},
		]
	);
}

export async function getSites(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const gateway = await getGateway(this);
	return await listOrHint(async () => {
		const sites = await gateway.listSites();
		return sites.map((site) => ({ name: label(site.code, site.name), value: site.code }));
	}, 'site');
}

export async function getEntryTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const gateway = await getGateway(this);
	return await listOrHint(async () => {
		const entryTypes = await gateway.listEntryTypes();
		return entryTypes.map((entryType) => ({
			name: label(entryType.code, entryType.description),
			value: entryType.code,
		}));
	}, 'entry type');
}
