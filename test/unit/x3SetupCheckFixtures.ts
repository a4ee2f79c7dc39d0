/**
 * Setup reports for tests of Post Spend that run on the in-memory gateway (which has no SOAP to probe): an X3
 * where every duplicate check passes and getDescription gave no lengths.
 */
import type { GuaranteeVerdict, SetupReport } from '../../nodes/SageX3/helpers/setupCheck';

export function passingSetupReport(): SetupReport {
	const pass = (guarantee: GuaranteeVerdict['guarantee']): GuaranteeVerdict => ({
		guarantee,
		title: guarantee,
		status: 'pass',
		reason: 'checked by the test',
		todo: '',
	});
	return {
		verdicts: [pass('soapHeader'), pass('soapLine'), pass('rest'), pass('graphql')],
		findings: [],
		ledgerEmpty: false,
		lengths: {
			traceField: null,
			lineTraceField: null,
			lineDescription: null,
			headerDescription: null,
		},
	};
}

/** jest.mock factory of helpers/setupVerdict answering passingSetupReport(). */
export function passingSetupVerdictModule() {
	return { setupReportFor: jest.fn(async () => passingSetupReport()) };
}
