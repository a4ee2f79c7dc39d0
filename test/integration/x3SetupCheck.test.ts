/**
 * Check X3 Setup in a real n8n execution against the X3 emulator, directly and through a proxy that makes the
 * emulator disagree with the client the ways real X3 installations do: SOAP query answers without the trace
 * column (the lookups then read every entry found back, and posting stays exactly-once), or query criteria ignored
 * (the verdict fails and Post Spend refuses every item, writing nothing).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { CACHE_TTL_MS, clearSetupReportCache } from '../../nodes/SageX3/helpers/setupVerdict';
import { spendTraceId } from '../../nodes/common/traceId';
import { CHART } from '../emulators/seed';
import { startX3Emulator } from '../emulators/x3/server';
import type { X3Emulator } from '../emulators/x3/server';
import type { NodeOutputs, TestCredentials } from '../support/n8nCoreHarness';
import {
	chain,
	runWorkflow,
	sageX3Node,
	spendSourceNode,
	x3Credentials,
} from '../support/n8nCoreHarness';

let emulator: X3Emulator;

/** How the proxy changes SOAP `query` calls on their way. */
type Disagreement = 'none' | 'dropTraceColumn' | 'ignoreCriteria';
let disagreement: Disagreement = 'none';
let proxy: Server;
let proxyUrl: string;

/** Removes the BPRVCR field from query answers (escaped inside resultXml, or as CDATA). */
function dropTraceColumn(body: string): string {
	return body
		.replace(/&lt;FLD NAME=(&quot;|")BPRVCR\1(?:(?!&lt;\/FLD&gt;).)*?&lt;\/FLD&gt;/g, '')
		.replace(/&lt;FLD NAME=(&quot;|")BPRVCR\1[^&]*\/&gt;/g, '')
		.replace(/<FLD NAME="BPRVCR"[^>]*>[^<]*<\/FLD>/g, '')
		.replace(/"BPRVCR":"[^"]*",?/g, '');
}

/** Sends a query without its criteria: what an X3 that does not filter on a field answers. */
function withoutCriteria(body: string): string {
	return body
		.replace(/<item xsi:type="wss:CAdxParamKeyValue">.*?<\/item>/g, '')
		.replace(/CAdxParamKeyValue\[\d+\]/g, 'CAdxParamKeyValue[0]');
}

async function startProxy(target: string): Promise<void> {
	proxy = createServer(async (request, response) => {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		let body = Buffer.concat(chunks).toString('utf8');
		const isQuery = /<wss:query\b/.test(body);
		if (isQuery && disagreement === 'ignoreCriteria') body = withoutCriteria(body);
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers)) {
			if (typeof value === 'string' && !['host', 'content-length'].includes(name)) {
				headers[name] = value;
			}
		}
		const answer = await fetch(`${target}${request.url}`, {
			method: request.method,
			headers,
			body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
		});
		let text = await answer.text();
		if (isQuery && disagreement === 'dropTraceColumn') text = dropTraceColumn(text);
		const contentType = answer.headers.get('content-type');
		response.writeHead(answer.status, contentType ? { 'content-type': contentType } : {});
		response.end(text);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
	emulator = await startX3Emulator();
	await startProxy(emulator.url);
});

afterAll(async () => {
	await new Promise<void>((resolve) => proxy.close(() => resolve()));
	await emulator.close();
});

beforeEach(() => {
	emulator.reset();
	emulator.resetStats();
	disagreement = 'none';
	clearSetupReportCache();
});

/** Credentials pointing at the emulator, or at the proxy in front of it. */
function credentialsFor(through: 'emulator' | 'proxy'): TestCredentials {
	const credentials = x3Credentials(emulator);
	if (through === 'emulator') return credentials;
	return {
		...credentials,
		sageX3Api: { ...credentials.sageX3Api, url: proxyUrl },
		sageX3ConnectedAppApi: { ...credentials.sageX3ConnectedAppApi, url: proxyUrl },
	};
}

async function runNode(
	parameters: INodeParameters,
	inputs: IDataObject[],
	through: 'emulator' | 'proxy' = 'emulator',
): Promise<NodeOutputs> {
	const result = await runWorkflow(
		[
			spendSourceNode(inputs),
			sageX3Node('Sage X3', parameters, [200, 0], { onError: 'continueErrorOutput' }),
		],
		chain('Spend Source', 'Sage X3'),
		credentialsFor(through),
	);
	const outputs = result.outputs['Sage X3'];
	if (!outputs) throw new Error('Sage X3 did not run');
	if (outputs.nodeError) throw outputs.nodeError;
	return outputs;
}

function spendItem(n: number, day = 2): IDataObject {
	const id = `expense_check_${n}`;
	return {
		id,
		recordKind: 'expense',
		traceId: spendTraceId('expense', id),
		amount: `${10 + n}.00`,
		currency: 'EUR',
		isRefund: false,
		accountingDate: `2026-11-0${day}`,
		vendorName: 'Acme Corp',
		category: 'TRAVEL',
		memo: `Trip ${n}`,
	};
}

function postSpendParameters(grouping: 'perItem' | 'entrySet', readApi = 'soap'): INodeParameters {
	return {
		readApi,
		resource: 'journalEntry',
		operation: 'postSpend',
		entryType: 'BRX',
		site: 'FR011',
		cardLiabilityAccount: { __rl: true, mode: 'id', value: CHART.cardLiabilityAccount },
		grouping,
		mappingRules: '[]',
		defaultExpenseAccount: CHART.defaultExpenseAccount,
		defaultDimensions: { dimension: [{ type: 'DEP', value: 'OPS' }] },
	};
}

const CHECK: INodeParameters = { readApi: 'soap', resource: 'x3Setup', operation: 'check' };

function verdicts(outputs: NodeOutputs): Record<string, IDataObject> {
	return Object.fromEntries(
		outputs.success
			.map((item) => item.json)
			.filter((row) => typeof row.guarantee === 'string')
			.map((row) => [row.guarantee as string, row]),
	);
}

/** Soap calls the emulator saw that write. */
function writes(): number {
	const soap = emulator.stats.calls.soap;
	return (soap.save ?? 0) + (soap.modify ?? 0) + (soap.delete ?? 0);
}

describe('Check X3 Setup against the X3 emulator', () => {
	it('on an empty X3 every duplicate check is unproven, with the reason and what would prove it', async () => {
		const outputs = await runNode(CHECK, [{}]);
		const byGuarantee = verdicts(outputs);
		expect(byGuarantee.soapHeader).toMatchObject({ status: 'unproven' });
		expect(byGuarantee.soapHeader.reason).toContain('X3 holds no journal entry');
		expect(byGuarantee.soapHeader.whatToDo).toContain('Enter one journal entry in X3');
		expect(byGuarantee.rest.status).toBe('unproven');
		expect(byGuarantee.graphql).toMatchObject({ status: 'unproven' });
		expect(byGuarantee.graphql.reason).toContain('not configured');
		expect(outputs.success.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
		expect(writes()).toBe(0);
	});

	it('after entries were posted: every guarantee passes; the SOAP line field through read-backs (no DES column in query answers)', async () => {
		// One entry per item (header trace field) is what SOAP can prove here; an empty X3 posts one entry first.
		const posted = await runNode(postSpendParameters('perItem'), [spendItem(1), spendItem(2, 3)]);
		expect(posted.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'posted',
			'posted',
		]);
		emulator.resetStats();
		const outputs = await runNode(CHECK, [{}]);
		const byGuarantee = verdicts(outputs);
		expect(byGuarantee.soapHeader.status).toBe('pass');
		expect(byGuarantee.soapLine.status).toBe('pass');
		expect(byGuarantee.soapLine.reason).toContain('The DES column is not in the answer');
		expect(byGuarantee.rest.status).toBe('pass');
		// The GraphQL credential is usable while GraphQL is the read API.
		expect(byGuarantee.graphql.status).toBe('unproven');
		expect(verdicts(await runNode({ ...CHECK, readApi: 'graphql' }, [{}])).graphql.status).toBe(
			'pass',
		);
		const trace = outputs.success.find((item) => item.json.field === 'BPRVCR');
		expect(trace?.json).toMatchObject({ status: 'found', block: 'GAS0_1', length: 20 });
		const fields = outputs.success.filter((item) => typeof item.json.field === 'string');
		expect(fields.filter((item) => item.json.status !== 'found')).toEqual([]);
		expect(writes()).toBe(0);
	});

	it('through an X3 that drops the trace column: the lookups read entries back and post exactly once', async () => {
		await runNode(postSpendParameters('perItem'), [spendItem(1)]);
		clearSetupReportCache();
		disagreement = 'dropTraceColumn';
		const check = verdicts(await runNode(CHECK, [{}], 'proxy'));
		expect(check.soapHeader.status).toBe('pass');
		expect(check.soapHeader.reason).toContain('The BPRVCR column is not in the answer');

		const items = [spendItem(11), spendItem(12), spendItem(13, 3)];
		const first = await runNode(postSpendParameters('perItem'), items, 'proxy');
		expect(first.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'posted',
			'posted',
			'posted',
		]);
		expect(emulator.state.journalEntries).toHaveLength(4);
		// The same items again: found through the header criterion, each entry read back to see its trace id.
		emulator.resetStats();
		const again = await runNode(postSpendParameters('perItem'), items, 'proxy');
		expect(again.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'already_posted',
			'already_posted',
			'already_posted',
		]);
		expect(writes()).toBe(0);
		expect(emulator.stats.calls.soap.read).toBeGreaterThanOrEqual(3);
		expect(emulator.state.journalEntries).toHaveLength(4);
	});

	it('through an X3 that ignores query criteria: the SOAP checks fail and Post Spend refuses every item', async () => {
		await runNode(postSpendParameters('perItem'), [spendItem(1)]);
		clearSetupReportCache();
		disagreement = 'ignoreCriteria';
		const check = verdicts(await runNode(CHECK, [{}], 'proxy'));
		expect(check.soapHeader.status).toBe('fail');
		expect(check.soapHeader.reason).toContain('ignores BPRVCR as a query criterion');
		expect(check.soapLine.status).toBe('fail');

		emulator.resetStats();
		const outputs = await runNode(
			postSpendParameters('entrySet'),
			[spendItem(21), spendItem(22)],
			'proxy',
		);
		expect(outputs.success).toEqual([]);
		expect(outputs.error.map((item) => String(item.json.error))).toEqual([
			expect.stringContaining('ignores DES as a query criterion'),
			expect.stringContaining('ignores DES as a query criterion'),
		]);
		expect(writes()).toBe(0);
	});

	it('entry sets through SOAP are posted once: line lookups read each entry found back', async () => {
		await runNode(postSpendParameters('perItem'), [spendItem(1)]);
		const items = [spendItem(31), spendItem(32)];
		const first = await runNode(postSpendParameters('entrySet'), items);
		expect(first.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'posted',
			'posted',
		]);
		emulator.resetStats();
		const again = await runNode(postSpendParameters('entrySet'), items);
		expect(again.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'already_posted',
			'already_posted',
		]);
		expect(writes()).toBe(0);
	});

	it('Extra Mandatory Fields are written on save through the real transport', async () => {
		const parameters = {
			...postSpendParameters('perItem'),
			x3Setup: { extraFields: '{"journalEntry": {"header": {"JOU": "BRX"}}}' },
		};
		const outputs = await runNode(parameters, [spendItem(41), spendItem(42, 3)]);
		expect(outputs.success.map((item) => (item.json.postResult as IDataObject).status)).toEqual([
			'posted',
			'posted',
		]);
		expect(emulator.state.journalEntries).toHaveLength(2);
		for (const entry of emulator.state.journalEntries) expect(entry.header.JOU).toBe('BRX');
	});

	it('Post Spend keeps a verdict for 10 minutes: within them an execution probes nothing, after them it probes again', async () => {
		await runNode(postSpendParameters('perItem'), [spendItem(51)]);
		await runNode(postSpendParameters('perItem'), [spendItem(52)]);
		emulator.resetStats();
		await runNode(postSpendParameters('perItem'), [spendItem(53)]);
		expect(emulator.stats.calls.soap.getDescription).toBeUndefined();
		expect(emulator.stats.calls.soap.save).toBe(1);

		emulator.resetStats();
		const later = Date.now() + CACHE_TTL_MS + 1000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
		try {
			await runNode(postSpendParameters('perItem'), [spendItem(54)]);
		} finally {
			clock.mockRestore();
		}
		expect(emulator.stats.calls.soap.getDescription).toBe(1);
		expect(emulator.stats.calls.soap.save).toBe(1);
	});
});
