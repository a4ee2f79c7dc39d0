/**
 * Generates workflows/baseline-stock-nodes.json: the Brex → Sage X3 sync as a user without this package
 * would build it from stock n8n nodes only (HTTP Request, Code, Loop Over Items, Set, Manual Trigger):
 * page through Brex expenses, then per expense one SOAP query for the supplier by name and one SOAP save
 * of a 2-line journal entry, one expense at a time (the X3 pool answers "busy" to a burst).
 *
 *   node build/bench/bench/src/baselineWorkflow.js   (bench/run.sh does it before each run)
 */
import * as fs from 'node:fs';

import type { WorkflowFixture, WorkflowNodeFixture } from '../../test/e2e/lib/n8nInstance';
import { stableUuid } from '../../test/e2e/lib/workflows';
import { BASELINE_FILE, BASELINE_ID, NODES } from './workflows';

export const BASELINE_CREDENTIALS = {
	brexHeader: { id: 'BenchBrexHeader01', name: 'Brex token (header auth)' },
	x3Basic: { id: 'BenchX3BasicAuth1', name: 'Sage X3 (basic auth)' },
} as const;

const PREPARE_CODE = String.raw`// Flatten the Brex pages, keep what is ready for the ledger, map it, and hand-build the supplier query.
const settings = $('Settings').first().json;
const ACCOUNTS = {
  AIRLINE_EXPENSES: '625100', LODGING: '625600', RESTAURANTS: '625700',
  RECURRING_SOFTWARE_AND_SAAS: '651000', OFFICE_SUPPLIES: '606400',
  ADVERTISING_AND_MARKETING: '623000', UTILITIES: '606100', RIDESHARE_AND_TAXI: '625110',
};
const DEPARTMENTS = { Engineering: 'ENG', Sales: 'SAL', Marketing: 'MKT', Finance: 'FIN', Operations: 'OPS' };
const LOCATIONS = { 'San Francisco': 'CC-SF', 'New York': 'CC-NY', Paris: 'CC-PAR' };
const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const out = [];
for (const page of $input.all()) {
  for (const e of page.json.items ?? []) {
    const billing = e.billing_amount;
    if (!['APPROVED', 'SETTLED'].includes(e.status) || e.payment_status !== 'CLEARED') continue;
    if (!billing || !billing.amount) continue;
    const minor = Math.abs(billing.amount);
    const amount = Math.floor(minor / 100) + '.' + String(minor % 100).padStart(2, '0');
    const vendor = e.merchant?.raw_descriptor ?? '';
    out.push({ json: {
      id: e.id,
      vendor,
      amount,
      isRefund: billing.amount < 0,
      currency: billing.currency,
      date: String(e.purchased_at).slice(0, 10).replace(/-/g, ''),
      account: ACCOUNTS[e.category] ?? '628000',
      dep: DEPARTMENTS[e.department?.name] ?? '',
      cct: LOCATIONS[e.location?.name] ?? '',
      site: billing.currency === 'EUR' ? 'FR011' : 'US011',
      memo: e.memo ?? '',
      lookupEnvelope: '<?xml version="1.0" encoding="UTF-8"?>' +
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:wss="http://www.adonix.com/WSS">' +
        '<soapenv:Header/><soapenv:Body><wss:query soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
        '<callContext xsi:type="wss:CAdxCallContext"><codeLang xsi:type="xsd:string">ENG</codeLang>' +
        '<poolAlias xsi:type="xsd:string">' + esc(settings.poolAlias) + '</poolAlias><poolId xsi:type="xsd:string"></poolId>' +
        '<requestConfig xsi:type="xsd:string">adxwss.optreturn=XML</requestConfig></callContext>' +
        '<publicName xsi:type="xsd:string">YBPS</publicName>' +
        '<objectKeys xsi:type="wss:ArrayOfCAdxParamKeyValue" soapenc:arrayType="wss:CAdxParamKeyValue[1]">' +
        '<item xsi:type="wss:CAdxParamKeyValue"><key xsi:type="xsd:string">BPSNAM</key><value xsi:type="xsd:string">' + esc(vendor) + '</value></item>' +
        '</objectKeys><listSize xsi:type="xsd:int">1</listSize></wss:query></soapenv:Body></soapenv:Envelope>',
    } });
  }
}
return out;`;

const BUILD_ENTRY_CODE = String.raw`// The supplier code from the query answer (if any), then a hand-built SOAP save of a 2-line entry.
const settings = $('Settings').first().json;
const e = $('Loop over expenses').first().json;
const answer = String($input.first().json.data ?? '');
const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const supplier = /<FLD NAME="BPSNUM"[^>]*>([^<]*)</.exec(unescape(answer))?.[1] ?? '';
const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fld = (name, value) => value === '' || value === undefined ? '' : '<FLD NAME="' + name + '">' + esc(value) + '</FLD>';
const trace = ('BRXE-' + e.id.slice(-15)).slice(0, 20);
const description = (e.vendor + ' ' + e.memo).trim().slice(0, 30);
const expenseSide = e.isRefund ? 'CDT' : 'DEB';
const cardSide = e.isRefund ? 'DEB' : 'CDT';
const objectXml = '<PARAM><GRP ID="GAS0_1">' +
  fld('TYP', 'BRX') + fld('FCY', e.site) + fld('ACCDAT', e.date) + fld('CUR', e.currency) +
  fld('DESVCR', description) + fld('BPRVCR', trace) + '</GRP>' +
  '<TAB ID="GAS1_1" SIZE="2">' +
  '<LIN NUM="1">' + fld('ACC', e.account) + fld(expenseSide, e.amount) +
  fld('BPR', supplier) + fld('DES', description) + '</LIN>' +
  '<LIN NUM="2">' + fld('ACC', '467100') + fld(cardSide, e.amount) + fld('DES', 'Brex card ' + e.id.slice(-12)) + '</LIN>' +
  '</TAB>' +
  // The expense line's dimensions in the analytics table, as the GAS publication's getDescription shows it.
  '<TAB ID="GAS2_1" SIZE="1"><LIN NUM="1">' + fld('LIN', '1') + fld('CCE1', e.cct) + fld('CCE2', e.dep) + '</LIN></TAB>' +
  '</PARAM>';
const envelope = '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:wss="http://www.adonix.com/WSS">' +
  '<soapenv:Header/><soapenv:Body><wss:save soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
  '<callContext xsi:type="wss:CAdxCallContext"><codeLang xsi:type="xsd:string">ENG</codeLang>' +
  '<poolAlias xsi:type="xsd:string">' + esc(settings.poolAlias) + '</poolAlias><poolId xsi:type="xsd:string"></poolId>' +
  '<requestConfig xsi:type="xsd:string">adxwss.optreturn=XML</requestConfig></callContext>' +
  '<publicName xsi:type="xsd:string">YGAS</publicName>' +
  '<objectXml xsi:type="xsd:string">' + esc(objectXml) + '</objectXml>' +
  '</wss:save></soapenv:Body></soapenv:Envelope>';
return [{ json: { id: e.id, supplier, envelope } }];`;

function soapRequest(id: string, name: string, bodyExpression: string, position: [number, number]) {
	return {
		id: stableUuid(`${BASELINE_ID}/${id}`),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		parameters: {
			method: 'POST',
			url: "={{ $('Settings').first().json.x3SoapUrl }}",
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBasicAuth',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'SOAPAction', value: '""' }] },
			sendBody: true,
			contentType: 'raw',
			rawContentType: 'text/xml; charset=utf-8',
			body: bodyExpression,
			// X3 answers text/xml: the default (autodetect) outputs it as text in `data`.
			options: {},
		},
		credentials: { httpBasicAuth: BASELINE_CREDENTIALS.x3Basic },
	} satisfies WorkflowNodeFixture;
}

export function baselineWorkflow(): WorkflowFixture & Record<string, unknown> {
	const nodes: WorkflowNodeFixture[] = [
		{
			id: stableUuid(`${BASELINE_ID}/start`),
			name: NODES.baselineStart,
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: stableUuid(`${BASELINE_ID}/settings`),
			name: NODES.baselineSettings,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						['brexUrl', 'https://api.brex.com'],
						[
							'x3SoapUrl',
							'https://x3.example.com:8124/soap-generic/syracuse/collaboration/syracuse/CAdxWebServiceXmlCC',
						],
						['poolAlias', 'BREX'],
						['dateFrom', '2026-07-01'],
						['dateTo', '2026-09-30'],
					].map(([name, value]) => ({
						id: stableUuid(`${BASELINE_ID}/settings/${name}`),
						name,
						value,
						type: 'string',
					})),
				},
				options: {},
			},
		},
		{
			id: stableUuid(`${BASELINE_ID}/list`),
			name: 'List Brex expenses',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [400, 0],
			parameters: {
				method: 'GET',
				url:
					'={{ $json.brexUrl }}/v1/expenses?limit=100&expand[]=merchant&expand[]=department&expand[]=location' +
					'&purchased_at_start={{ $json.dateFrom }}T00:00:00Z&purchased_at_end={{ $json.dateTo }}T23:59:59Z',
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: {
								parameters: [
									{ type: 'qs', name: 'cursor', value: '={{ $response.body.next_cursor }}' },
								],
							},
							paginationCompleteWhen: 'other',
							completeExpression: '={{ !$response.body.next_cursor }}',
						},
					},
				},
			},
			credentials: { httpHeaderAuth: BASELINE_CREDENTIALS.brexHeader },
		},
		{
			id: stableUuid(`${BASELINE_ID}/prepare`),
			name: 'Prepare expenses',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [600, 0],
			parameters: { jsCode: PREPARE_CODE },
		},
		{
			id: stableUuid(`${BASELINE_ID}/loop`),
			name: 'Loop over expenses',
			type: 'n8n-nodes-base.splitInBatches',
			typeVersion: 3,
			position: [800, 0],
			parameters: { batchSize: 1, options: {} },
		},
		soapRequest('lookup', 'Find supplier (SOAP query)', '={{ $json.lookupEnvelope }}', [1000, 100]),
		{
			id: stableUuid(`${BASELINE_ID}/build`),
			name: 'Build journal entry',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [1200, 100],
			parameters: { jsCode: BUILD_ENTRY_CODE },
		},
		{
			...soapRequest('save', 'Save journal entry (SOAP)', '={{ $json.envelope }}', [1400, 100]),
			// X3 answers business errors with HTTP 200 + status 0; an HTTP failure should not stop the batch.
			onError: 'continueRegularOutput',
		} as WorkflowNodeFixture,
	];
	const link = (node: string) => ({ node, type: 'main', index: 0 });
	return {
		id: BASELINE_ID,
		name: 'Baseline: Brex → Sage X3 with stock nodes only',
		nodes,
		connections: {
			[NODES.baselineStart]: { main: [[link(NODES.baselineSettings)]] },
			[NODES.baselineSettings]: { main: [[link('List Brex expenses')]] },
			'List Brex expenses': { main: [[link('Prepare expenses')]] },
			'Prepare expenses': { main: [[link('Loop over expenses')]] },
			// Output 0 = done, output 1 = next batch.
			'Loop over expenses': { main: [[], [link('Find supplier (SOAP query)')]] },
			'Find supplier (SOAP query)': { main: [[link('Build journal entry')]] },
			'Build journal entry': { main: [[link('Save journal entry (SOAP)')]] },
			'Save journal entry (SOAP)': { main: [[link('Loop over expenses')]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

export function writeBaselineFile(): void {
	fs.writeFileSync(BASELINE_FILE, JSON.stringify(baselineWorkflow(), null, '\t') + '\n');
}

if (require.main === module) writeBaselineFile();
