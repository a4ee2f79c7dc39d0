/** Hand-built SOAP responses in the two shapes Syracuse uses (multiRef/href and inline), for X3 transport tests. */

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SoapResponseSpec {
	operation: string;
	status: number;
	messages?: Array<{ type: string; message: string }>;
	resultXml?: string | null;
	technicalInfos?: Record<string, string | number | boolean>;
	style?: 'multiRef' | 'inline';
}

function technicalXml(infos: Record<string, string | number | boolean>): string {
	return Object.entries(infos)
		.map(([key, value]) => {
			const type =
				typeof value === 'boolean'
					? 'xsd:boolean'
					: typeof value === 'number'
						? Number.isInteger(value)
							? 'xsd:int'
							: 'xsd:double'
						: 'xsd:string';
			return `<${key} xsi:type="${type}">${escape(String(value))}</${key}>`;
		})
		.join('');
}

export function soapResponse(spec: SoapResponseSpec): string {
	const messages = spec.messages ?? [];
	const infos = spec.technicalInfos ?? { busy: false, poolWaitDuration: 0, totalDuration: 412.0 };
	const result =
		spec.resultXml === null || spec.resultXml === undefined
			? '<resultXml xsi:type="xsd:string" xsi:nil="true"/>'
			: `<resultXml xsi:type="xsd:string">${escape(spec.resultXml)}</resultXml>`;
	const head =
		'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
		'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
		'xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><soapenv:Body>';
	const tail = '</soapenv:Body></soapenv:Envelope>';
	if ((spec.style ?? 'multiRef') === 'inline') {
		const items = messages
			.map(
				(m) =>
					`<item xsi:type="wss:CAdxMessage"><message xsi:type="xsd:string">${escape(m.message)}</message><type xsi:type="xsd:string">${m.type}</type></item>`,
			)
			.join('');
		return (
			head +
			`<wss:${spec.operation}Response xmlns:wss="http://www.adonix.com/WSS" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
			`<${spec.operation}Return xsi:type="wss:CAdxResultXml">` +
			`<messages xsi:type="soapenc:Array" soapenc:arrayType="wss:CAdxMessage[${messages.length}]">${items}</messages>` +
			result +
			`<status xsi:type="xsd:int">${spec.status}</status>` +
			`<technicalInfos xsi:type="wss:CAdxTechnicalInfos">${technicalXml(infos)}</technicalInfos>` +
			`</${spec.operation}Return></wss:${spec.operation}Response>` +
			tail
		);
	}
	const messageRefs = messages.map((_m, index) => `<messages href="#id${index + 2}"/>`).join('');
	const messageParts = messages
		.map(
			(m, index) =>
				`<multiRef id="id${index + 2}" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns2:CAdxMessage" xmlns:ns2="http://www.adonix.com/WSS">` +
				`<message xsi:type="xsd:string">${escape(m.message)}</message><type xsi:type="xsd:string">${m.type}</type></multiRef>`,
		)
		.join('');
	return (
		head +
		`<ns1:${spec.operation}Response soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="http://www.adonix.com/WSS">` +
		`<${spec.operation}Return href="#id0"/></ns1:${spec.operation}Response>` +
		'<multiRef id="id0" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns2:CAdxResultXml" xmlns:ns2="http://www.adonix.com/WSS">' +
		`<messages soapenc:arrayType="ns2:CAdxMessage[${messages.length}]" xsi:type="soapenc:Array">${messageRefs}</messages>` +
		result +
		`<status xsi:type="xsd:int">${spec.status}</status><technicalInfos href="#id1"/></multiRef>` +
		`<multiRef id="id1" soapenc:root="0" soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xsi:type="ns3:CAdxTechnicalInfos" xmlns:ns3="http://www.adonix.com/WSS">${technicalXml(infos)}</multiRef>` +
		messageParts +
		tail
	);
}

export function soapFault(faultString: string, faultCode = 'soapenv:Server'): string {
	return (
		'<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
		`<soapenv:Fault><faultcode>${faultCode}</faultcode><faultstring>${escape(faultString)}</faultstring><detail><stack>internal</stack></detail></soapenv:Fault>` +
		'</soapenv:Body></soapenv:Envelope>'
	);
}
