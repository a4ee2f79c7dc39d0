// Over 500 lines: the Check's pure rules in one place (field findings from getDescription, the verdict of each
// guarantee, Post Spend's decision), which share their types; the probes that read X3 are in setupProbe.ts.
import { JOURNAL_HEADER_SETTINGS, JOURNAL_LINE_SETTINGS } from '../transport/gateway.types';
import type { X3Layout, X3ReadApi } from '../transport/gateway.types';
import type { X3SoapNames } from '../transport/names';
import type { ExtraFields, FieldPlacements } from './layout';
import { blocksHolding, fieldIn } from './x3Description';
import type { PublicationDescription } from './x3Description';

/**
 * Check X3 Setup, the pure part: what the customer's getDescription says about the fields the layout writes and
 * reads (findings), and what the read-only probes say about each guarantee Post Spend's idempotency rests on
 * (verdicts). Probes are run in setupProbe.ts; everything here is a function of their answers.
 */

export type VerdictStatus = 'pass' | 'fail' | 'unproven';

export type Guarantee = 'soapHeader' | 'soapLine' | 'rest' | 'graphql';

export interface GuaranteeVerdict {
	guarantee: Guarantee;
	/** Finance-readable name of the guarantee. */
	title: string;
	status: VerdictStatus;
	reason: string;
	/** What to do: the fix on failure, what would prove it when unproven; empty on pass. */
	todo: string;
	/** Why an unproven verdict is unproven. */
	unprovenBecause?: 'noKnownEntry' | 'callFailed' | 'notConfigured';
}

export type FindingStatus = 'found' | 'missing' | 'otherBlock' | 'mandatoryUnfilled' | 'unreadable';

export interface FieldFinding {
	publication: string;
	/** X3 Setup setting the field comes from ("journalEntry.traceField"), or "(not in layout)". */
	setting: string;
	field: string;
	/** Block the layout writes or reads it in. */
	block: string;
	status: FindingStatus;
	/** Block the description shows it in (otherBlock). */
	foundBlock?: string;
	/** LONCHP of the field when found. */
	length?: number | null;
	fix?: string;
}

interface FieldRequirement {
	publication: string;
	setting: string;
	field: string;
	block: string;
	/** X3 Setup option that names the block, for the fix when every field is elsewhere. */
	blockSetting: string;
}

/** The fields the layout writes or reads, per publication and block (BLOCK.FIELD placements win). */
export function layoutRequirements(
	layout: X3Layout,
	placements: FieldPlacements,
	soapNames: X3SoapNames,
): FieldRequirement[] {
	const je = layout.journalEntry;
	const out: FieldRequirement[] = [];
	const add = (
		publication: string,
		setting: string,
		field: string,
		block: string,
		blockSetting: string,
	) => {
		if (field === '') return;
		out.push({ publication, setting, field, block: placements[setting] ?? block, blockSetting });
	};
	const f = je.fields;
	for (const key of JOURNAL_HEADER_SETTINGS) {
		add(je.publication, `journalEntry.${key}`, f[key], je.headerBlock, 'Journal Header Block');
	}
	for (const key of JOURNAL_LINE_SETTINGS) {
		add(je.publication, `journalEntry.${key}`, f[key], je.linesBlock, 'Journal Lines Block');
	}
	// The dimensions sit in the analytics table when the layout has one, with the field naming their line.
	const analyticsBlock = je.analyticsBlock?.trim() || '';
	layout.dimensionTypes.forEach((type, index) =>
		add(
			je.publication,
			`journalEntry.dimensionPrefix (${type})`,
			`${f.dimensionPrefix}${index + 1}`,
			placements['journalEntry.dimensionPrefix'] ?? (analyticsBlock || je.linesBlock),
			analyticsBlock ? 'Analytics Block' : 'Journal Lines Block',
		),
	);
	if (analyticsBlock) {
		add(
			je.publication,
			'journalEntry.analyticsLineField',
			je.analyticsLineField?.trim() || 'LIN',
			analyticsBlock,
			'Analytics Block',
		);
	}
	if (je.lineTraceField !== f.lineDescription) {
		add(
			je.publication,
			'journalEntry.lineTraceField',
			je.lineTraceField,
			je.linesBlock,
			'Journal Lines Block',
		);
	}
	const supplier = layout.supplier;
	const addressBlock = supplier.addressBlock?.trim() || '';
	for (const [key, field] of Object.entries(supplier.fields)) {
		if (key === 'addressCode' && addressBlock) {
			add(
				supplier.publication,
				'supplier.addressCode',
				field,
				addressBlock,
				'Supplier Address Block',
			);
			continue;
		}
		const block = supplier.fieldBlocks?.[key as keyof typeof supplier.fields] || supplier.block;
		add(supplier.publication, `supplier.${key}`, field, block, 'Supplier Block');
	}
	if (addressBlock) {
		for (const [key, field] of Object.entries(supplier.addressFields ?? {})) {
			if (field) {
				add(
					supplier.publication,
					`supplier.address.${key}`,
					field,
					addressBlock,
					'Supplier Address Block',
				);
			}
		}
	}
	for (const [key, field] of Object.entries(soapNames.account)) {
		add(layout.account.publication, `account.${key}`, field, layout.account.block, 'Account Block');
	}
	for (const [key, field] of Object.entries(soapNames.dimension)) {
		add(
			layout.dimension.publication,
			`dimension.${key}`,
			field,
			layout.dimension.block,
			'Dimension Block',
		);
	}
	return out;
}

/** Publications the layout names, in check order. */
export function layoutPublications(layout: X3Layout): string[] {
	return [
		...new Set([
			layout.journalEntry.publication,
			layout.supplier.publication,
			layout.account.publication,
			layout.dimension.publication,
		]),
	];
}

/** Publications Post Spend writes, with the fixed extra fields it adds there. */
function writtenExtras(layout: X3Layout, extras: ExtraFields): Map<string, Set<string>> {
	const written = new Map<string, Set<string>>();
	const put = (publication: string, names: string[]) => {
		const set = written.get(publication) ?? new Set<string>();
		for (const name of names) set.add(name);
		written.set(publication, set);
	};
	put(layout.journalEntry.publication, [
		...Object.keys(extras.journalHeader),
		...Object.keys(extras.journalLines),
	]);
	put(layout.supplier.publication, Object.keys(extras.supplier));
	return written;
}

/**
 * One finding per field the layout uses (found / missing / in another block, with its length and the fix),
 * plus one per mandatory field of a written publication (journal entry, supplier) that nothing fills.
 */
export function describeFindings(
	layout: X3Layout,
	placements: FieldPlacements,
	soapNames: X3SoapNames,
	extras: ExtraFields,
	descriptions: Map<string, PublicationDescription | { error: string }>,
): FieldFinding[] {
	const findings: FieldFinding[] = [];
	const requirements = layoutRequirements(layout, placements, soapNames);
	for (const publication of layoutPublications(layout).filter((p) => descriptions.has(p))) {
		const description = descriptions.get(publication);
		const wanted = requirements.filter((r) => r.publication === publication);
		if (!description || 'error' in description) {
			findings.push({
				publication,
				setting: '(publication)',
				field: '',
				block: '',
				status: 'unreadable',
				fix: `${description && 'error' in description ? `${description.error}. ` : ''}Check that ${publication} is published (GESAWE) in this folder and named in X3 Setup.`,
			});
			continue;
		}
		for (const requirement of wanted) {
			findings.push(fieldFinding(requirement, description));
		}
		const written = writtenExtras(layout, extras).get(publication);
		if (!written) continue;
		const used = new Set(wanted.map((r) => r.field));
		for (const block of description.blocks) {
			for (const field of block.fields) {
				if (!field.mandatory || field.enterable === false) continue;
				if (used.has(field.name) || written.has(field.name)) continue;
				const section =
					publication === layout.supplier.publication
						? '"supplier"'
						: block.kind === 'TAB'
							? '"journalEntry" → "lines"'
							: '"journalEntry" → "header"';
				findings.push({
					publication,
					setting: '(not in layout)',
					field: field.name,
					block: block.id,
					status: 'mandatoryUnfilled',
					length: field.length,
					fix:
						publication === layout.supplier.publication
							? `X3 requires ${field.name} (block ${block.id}) and the node does not fill it. Supplier Create and Find or Create do not write extra fields yet: create such suppliers in X3, or list the value under X3 Setup → Extra Mandatory Fields (JSON), section ${section}, for the Check.`
							: `X3 requires ${field.name} (block ${block.id}) and the node does not fill it: add it under X3 Setup → Extra Mandatory Fields (JSON), section ${section}, with a fixed value (Post Spend writes it on save).`,
				});
			}
		}
	}
	return findings;
}

function fieldFinding(
	requirement: FieldRequirement,
	description: PublicationDescription,
): FieldFinding {
	const base = {
		publication: requirement.publication,
		setting: requirement.setting,
		field: requirement.field,
		block: requirement.block,
	};
	const here = fieldIn(description, requirement.block, requirement.field);
	if (here) return { ...base, status: 'found', length: here.length };
	const elsewhere = blocksHolding(description, requirement.field);
	if (elsewhere.length === 0) {
		return {
			...base,
			status: 'missing',
			fix: `${requirement.publication} has no field ${requirement.field}: give the field's name as published (X3 Setup → ${settingLabel(requirement.setting)}), or add the field to the publication in GESAWE.`,
		};
	}
	const other = elsewhere[0];
	const blockExists = description.blocks.some((block) => block.id === requirement.block);
	return {
		...base,
		status: 'otherBlock',
		foundBlock: other.block,
		length: other.length,
		fix: blockExists
			? `Write the field as ${other.block}.${requirement.field} in X3 Setup → ${settingLabel(requirement.setting)}.`
			: `Set ${requirement.blockSetting} to ${other.block} in X3 Setup (${requirement.publication} has no block ${requirement.block}).`,
	};
}

function settingLabel(setting: string): string {
	if (setting === 'journalEntry.traceField') return 'Trace Field';
	if (setting === 'journalEntry.lineTraceField') return 'Line Trace Field';
	if (setting === 'journalEntry.analyticsLineField') return 'Analytics Line Field';
	if (setting.startsWith('supplier.address.')) {
		return `Supplier Address Fields (JSON) "${setting.slice('supplier.address.'.length)}"`;
	}
	if (setting.startsWith('account.') || setting.startsWith('dimension.')) {
		return `API Name Overrides (JSON) "soap" → "${setting.split('.')[0]}" → "${setting.split('.')[1]}"`;
	}
	const [section, key] = setting.split(/[.\s]/);
	return `Field Names (JSON) "${section}" → "${key}"`;
}

/** The description's length of a field of the layout, or null when unknown. */
export function describedLength(
	findings: FieldFinding[],
	publication: string,
	field: string,
): number | null {
	const finding = findings.find(
		(f) =>
			f.publication === publication &&
			f.field === field &&
			(f.status === 'found' || f.status === 'otherBlock'),
	);
	return finding?.length ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Probes and verdicts

/** An entry read back from X3 whose trace value a probe looks for. */
export interface KnownValue {
	documentNumber: string;
	entryType: string | null;
	value: string;
}

export type QueryAnswer = { rows: Array<Record<string, unknown>> } | { error: string };

/** SOAP query probes of one field (header trace field or line trace field). */
export interface SoapFieldProbe {
	level: 'header' | 'line';
	field: string;
	documentNumberField: string;
	/** Query with a value no entry holds. */
	unmatched: QueryAnswer;
	/** Entry to look for, when one was found; then `known` is the query for its value. */
	knownValue: KnownValue | null;
	known: QueryAnswer | null;
	/** Why no known value exists (no entry, no value in the field, reads failed). */
	noKnownReason?: string;
}

const TITLES: Record<Guarantee, string> = {
	soapHeader: 'Duplicate check through SOAP, header trace field',
	soapLine: 'Duplicate check through SOAP, line trace field',
	rest: 'Duplicate check through REST',
	graphql: 'Duplicate check through GraphQL',
};

function verdict(
	guarantee: Guarantee,
	status: VerdictStatus,
	reason: string,
	todo = '',
	unprovenBecause?: GuaranteeVerdict['unprovenBecause'],
): GuaranteeVerdict {
	return {
		guarantee,
		title: TITLES[guarantee],
		status,
		reason,
		todo,
		...(unprovenBecause ? { unprovenBecause } : {}),
	};
}

function rowMatches(
	row: Record<string, unknown>,
	field: string,
	value: string,
	level: 'header' | 'line',
): boolean | null {
	if (!(field in row)) return null;
	const text = String(row[field] ?? '').trim();
	return level === 'header' ? text === value : text.startsWith(value);
}

/**
 * Verdict of a SOAP field from its probes: the criterion must filter (a value no entry holds returns nothing), and
 * a known value must bring back its entry: with the column showing the value, or without the column (then the
 * lookups read each found entry back).
 */
export function soapFieldVerdict(probe: SoapFieldProbe): GuaranteeVerdict {
	const guarantee: Guarantee = probe.level === 'header' ? 'soapHeader' : 'soapLine';
	const where = probe.level === 'header' ? 'Trace Field' : 'Line Trace Field';
	if (probe.field === '') {
		return verdict(
			guarantee,
			'fail',
			`No ${where} is set in X3 Setup.`,
			`Set ${where} in X3 Setup to a field of the journal entry publication.`,
		);
	}
	if ('error' in probe.unmatched) {
		return verdict(
			guarantee,
			'unproven',
			`The SOAP query on ${probe.field} failed: ${probe.unmatched.error}`,
			'Run Check X3 Setup again when X3 answers; if it keeps failing, check the publication and the pool.',
			'callFailed',
		);
	}
	if (probe.unmatched.rows.length > 0) {
		return verdict(
			guarantee,
			'fail',
			`X3 ignores ${probe.field} as a query criterion: a query for a value no entry holds returned ${probe.unmatched.rows.length} row(s). Lookups by trace id cannot be trusted through this field.`,
			`Add ${probe.field} to the left list (criteria) of the journal entry publication in GESAWE and republish it, or use another read API.`,
		);
	}
	if (!probe.knownValue || !probe.known) {
		return verdict(
			guarantee,
			'unproven',
			`A query for an unknown value returns nothing, but no journal entry with a value in ${probe.field} was found to check that a lookup finds it${probe.noKnownReason ? ` (${probe.noKnownReason})` : ''}.`,
			`Enter one journal entry in X3 with a value in ${probe.field}, then run Check X3 Setup again. On an X3 without any journal entry, Post Spend posts one entry and checks again with it.`,
			'noKnownEntry',
		);
	}
	if ('error' in probe.known) {
		return verdict(
			guarantee,
			'unproven',
			`The SOAP query for the value of entry ${probe.knownValue.documentNumber} failed: ${probe.known.error}`,
			'Run Check X3 Setup again when X3 answers.',
			'callFailed',
		);
	}
	const rows = probe.known.rows;
	const own = rows.filter(
		(row) =>
			String(row[probe.documentNumberField] ?? '').trim() === probe.knownValue?.documentNumber,
	);
	const withColumn = rows.filter((row) => probe.field in row);
	if (rows.length > 0 && withColumn.length === 0) {
		// A left list without the field: the criterion is applied (the unmatched probe returned nothing), and the
		// trace lookups read every returned entry back to see the id in it (soapReader), so the known entry coming
		// back is proof enough; each found entry costs one read more.
		if (own.length > 0) {
			return verdict(
				guarantee,
				'pass',
				`A query for a value no entry holds returns nothing, and a query for entry ${probe.knownValue.documentNumber}'s ${probe.field} returns it. The ${probe.field} column is not in the answer (left list), so lookups read each entry found back to confirm it holds the trace id (one read more per entry found).`,
			);
		}
		return verdict(
			guarantee,
			'fail',
			`A query for ${probe.field} = "${probe.knownValue.value}" did not return entry ${probe.knownValue.documentNumber}, which holds that value, and its rows do not show the ${probe.field} column: X3 does not find entries by this field.`,
			`Add ${probe.field} to the left list (criteria) of the journal entry publication in GESAWE, or use another read API.`,
		);
	}
	const matched = own.some(
		(row) => rowMatches(row, probe.field, probe.knownValue?.value ?? '', probe.level) === true,
	);
	if (!matched) {
		return verdict(
			guarantee,
			'fail',
			`A query for ${probe.field} = "${probe.knownValue.value}" did not return entry ${probe.knownValue.documentNumber}, which holds that value: X3 does not find entries by this field.`,
			`Add ${probe.field} to the left list (criteria) of the journal entry publication in GESAWE, or use another read API.`,
		);
	}
	return verdict(
		guarantee,
		'pass',
		`A query for a value no entry holds returns nothing, and a query for entry ${probe.knownValue.documentNumber}'s ${probe.field} returns it with the ${probe.field} column.`,
	);
}

/** Probe of a whole read API (REST or GraphQL) through the gateway's own trace lookup. */
export interface ApiProbe {
	api: 'rest' | 'graphql';
	/** Credentials for this API are set on the node. */
	configured: boolean;
	level: 'header' | 'line';
	/** Documents the lookup returned for a trace id no entry holds. */
	unmatched: { documents: string[] } | { error: string } | null;
	knownValue: KnownValue | null;
	/** Documents the lookup returned for knownValue. */
	known: { documents: string[] } | { error: string } | null;
	noKnownReason?: string;
}

export function apiVerdict(probe: ApiProbe): GuaranteeVerdict {
	const name = probe.api === 'rest' ? 'REST' : 'GraphQL';
	if (!probe.configured || !probe.unmatched) {
		return verdict(
			probe.api,
			'unproven',
			`${name} is not configured on this node.`,
			probe.api === 'rest'
				? 'Set Read API to REST (the Sage X3 API credential needs the endpoint/folder) and run Check X3 Setup again.'
				: 'Set Read API to GraphQL with its credential and run Check X3 Setup again (the GraphQL credential is used only while GraphQL is the read API).',
			'notConfigured',
		);
	}
	if ('error' in probe.unmatched) {
		return verdict(
			probe.api,
			'unproven',
			`The ${name} lookup failed: ${probe.unmatched.error}`,
			`Check the ${name} credential and names, then run Check X3 Setup again.`,
			'callFailed',
		);
	}
	if (probe.unmatched.documents.length > 0) {
		return verdict(
			probe.api,
			'fail',
			`A ${name} lookup of a trace id no entry holds reported entry ${probe.unmatched.documents.join(', ')}: X3 ignores the trace filter, or the trace property is not returned.`,
			`Check the ${name} names of the trace fields (X3 Setup → API Name Overrides), or use another read API.`,
		);
	}
	if (!probe.knownValue || !probe.known) {
		return verdict(
			probe.api,
			'unproven',
			`A ${name} lookup of an unknown trace id finds nothing, but no journal entry with a value in the trace field was found to check that a lookup finds it${probe.noKnownReason ? ` (${probe.noKnownReason})` : ''}.`,
			'Enter one journal entry in X3 with a value in the trace field (or let Post Spend post one on an X3 without any journal entry), then run Check X3 Setup again.',
			'noKnownEntry',
		);
	}
	if ('error' in probe.known) {
		return verdict(
			probe.api,
			'unproven',
			`The ${name} lookup of trace ${probe.knownValue.value} failed: ${probe.known.error}`,
			`Run Check X3 Setup again when X3 answers.`,
			'callFailed',
		);
	}
	if (!probe.known.documents.includes(probe.knownValue.documentNumber)) {
		return verdict(
			probe.api,
			'fail',
			`A ${name} lookup of trace ${probe.knownValue.value} did not find entry ${probe.knownValue.documentNumber}, which holds it on its ${probe.level === 'header' ? 'header' : 'line'}.`,
			`Check the ${name} names of the trace fields (X3 Setup → API Name Overrides), or use another read API.`,
		);
	}
	return verdict(
		probe.api,
		'pass',
		`A ${name} lookup of an unknown trace id finds nothing, and one of trace ${probe.knownValue.value} finds entry ${probe.knownValue.documentNumber}.`,
	);
}

// ---------------------------------------------------------------------------------------------------------------
// Post Spend's decision

export interface SetupReport {
	verdicts: GuaranteeVerdict[];
	findings: FieldFinding[];
	/** The journal entry publication holds no entry at all: nothing can be posted twice yet. */
	ledgerEmpty: boolean;
	/** Lengths from getDescription (null when unknown). */
	lengths: {
		traceField: number | null;
		lineTraceField: number | null;
		lineDescription: number | null;
		headerDescription: number | null;
	};
}

/**
 * The layout with the text lengths X3's getDescription gives (the setup report), so the save cuts descriptions to
 * the customer's fields rather than to constants. The trace field never gets longer than the layout says (trace
 * ids are generated to fit the shorter one), and a line trace field that is not the line description gets its
 * length too: the transport refuses a trace id that does not fit rather than cut it.
 */
export function layoutWithDescribedLengths(
	layout: X3Layout,
	lengths: SetupReport['lengths'],
): X3Layout {
	const journal = { ...layout.journalEntry };
	if (lengths.traceField !== null && lengths.traceField < journal.traceFieldLength) {
		journal.traceFieldLength = lengths.traceField;
	}
	if (lengths.headerDescription !== null) journal.descriptionLength = lengths.headerDescription;
	if (lengths.lineDescription !== null) journal.lineDescriptionLength = lengths.lineDescription;
	if (
		lengths.lineTraceField !== null &&
		journal.lineTraceField !== '' &&
		journal.lineTraceField !== journal.fields.lineDescription
	) {
		journal.lineTraceFieldLength = lengths.lineTraceField;
	}
	return { ...layout, journalEntry: journal };
}

export type PostingDecision =
	/** linesOnly: look item trace ids up on lines only (else header first, as postEntries does without it). */
	| { action: 'post'; linesOnly: boolean }
	| { action: 'postOneThenCheck'; linesOnly: boolean; reason: string }
	| { action: 'refuse'; reason: string };

/**
 * Whether Post Spend may write, given the verdicts, the read API and the grouping. A grouped entry carries only its
 * set's trace id in the header, so daily sets need item trace ids found on lines; one entry per item carries the
 * item's trace id in its header too, so either level proves it (lines preferred: one query per id on SOAP).
 */
export function postingDecision(
	report: SetupReport,
	readApi: X3ReadApi,
	grouping: 'entrySet' | 'perItem',
	hasLineTraceField: boolean,
): PostingDecision {
	const byGuarantee = new Map(report.verdicts.map((v) => [v.guarantee, v]));
	const passes = (g: Guarantee) => byGuarantee.get(g)?.status === 'pass';
	const alternatives = (): string => {
		const options: string[] = [];
		const soapWorks =
			grouping === 'entrySet'
				? hasLineTraceField && passes('soapLine')
				: (hasLineTraceField && passes('soapLine')) || passes('soapHeader');
		if (readApi !== 'soap' && soapWorks) options.push('Read API SOAP');
		if (readApi !== 'rest' && passes('rest')) options.push('Read API REST');
		if (readApi !== 'graphql' && passes('graphql')) options.push('Read API GraphQL');
		if (grouping === 'entrySet' && passes('soapHeader')) {
			options.push('Grouping One Entry per Item (found by the header trace field)');
		}
		const others = ' Run X3 Setup → Check to see which other read API this X3 can prove.';
		return options.length > 0
			? ` Settings the check passes: ${options.join('; ')}.${others}`
			: others;
	};
	if (!hasLineTraceField && grouping === 'entrySet') {
		return {
			action: 'refuse',
			reason: `Nothing was written: grouped entries (One Entry per Date, Currency and Site) need item trace ids on lines, and X3 Setup has no Line Trace Field. Set Line Trace Field, or use One Entry per Item.${alternatives()}`,
		};
	}
	// The guarantees that would do, best first, with the lookup level each implies.
	const candidates: Array<{ guarantee: Guarantee; linesOnly: boolean }> =
		readApi === 'soap'
			? [
					...(hasLineTraceField ? [{ guarantee: 'soapLine' as const, linesOnly: true }] : []),
					...(grouping === 'perItem'
						? [{ guarantee: 'soapHeader' as const, linesOnly: false }]
						: []),
				]
			: [{ guarantee: readApi, linesOnly: hasLineTraceField }];
	const passing = candidates.find((c) => passes(c.guarantee));
	if (passing) return { action: 'post', linesOnly: passing.linesOnly };
	const described = candidates.map((c) => {
		const v = byGuarantee.get(c.guarantee);
		return v
			? `${v.title}: ${v.status}. ${v.reason}${v.todo ? ` ${v.todo}` : ''}`
			: `${TITLES[c.guarantee]} was not checked.`;
	});
	const why = described.join(' ');
	const unprovenOnly = candidates.find(
		(c) => byGuarantee.get(c.guarantee)?.unprovenBecause === 'noKnownEntry',
	);
	if (report.ledgerEmpty && unprovenOnly) {
		return { action: 'postOneThenCheck', linesOnly: unprovenOnly.linesOnly, reason: why };
	}
	return {
		action: 'refuse',
		reason: `Nothing was written: this X3 cannot prove that a re-sent item is recognised, so it could be posted twice. ${why}${alternatives()}`,
	};
}
