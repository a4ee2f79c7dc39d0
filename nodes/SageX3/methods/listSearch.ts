import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { getGateway } from '../helpers/gateway';

const LIMIT = 100;

type ListSearchMethod = (
	this: ILoadOptionsFunctions,
	filter?: string,
) => Promise<INodeListSearchResult>;

/** Text that looks like a code ("6251", "BRX00", "CC-SF") rather than words of a name. */
function looksLikeCode(filter: string): boolean {
	return /^[A-Za-z0-9_-]+$/.test(filter) && /\d/.test(filter);
}

function dedupe(results: INodeListSearchItems[]): INodeListSearchItems[] {
	return [...new Map(results.map((result) => [String(result.value), result])).values()];
}

export const searchSuppliers: ListSearchMethod = async function (filter) {
	const gateway = await getGateway(this);
	const text = filter?.trim() ?? '';
	const found =
		text === ''
			? await gateway.searchSuppliers({ limit: LIMIT })
			: await gateway.searchSuppliers({ name: text, limit: LIMIT });
	const byCode =
		text !== '' && looksLikeCode(text)
			? await gateway.searchSuppliers({ code: text, limit: LIMIT })
			: [];
	return {
		results: dedupe(
			[...byCode, ...found].map((supplier) => ({
				name: `${supplier.name} (${supplier.code})${supplier.isActive ? '' : ' [inactive]'}`,
				value: supplier.code,
			})),
		),
	};
};

export const searchAccounts: ListSearchMethod = async function (filter) {
	const gateway = await getGateway(this);
	const text = filter?.trim() ?? '';
	let accounts;
	if (text === '') accounts = await gateway.searchAccounts({ limit: LIMIT });
	else if (looksLikeCode(text))
		accounts = await gateway.searchAccounts({ code: text, limit: LIMIT });
	else accounts = await gateway.searchAccounts({ description: text, limit: LIMIT });
	return {
		results: dedupe(
			accounts.map((account) => ({
				name: `${account.code}${account.description ? ` – ${account.description}` : ''}${account.isActive ? '' : ' [inactive]'}`,
				value: account.code,
			})),
		),
	};
};
