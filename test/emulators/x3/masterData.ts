/**
 * Test API of the emulated folder's master data: add, rename, close and reopen GL accounts (GAC, table GACCOUNT),
 * dimension values (CCE, table CACCE) and suppliers (BPS, table BPSUPPLIER), as an X3 user would in the
 * functions GESGAC / GESCCE / GESBPS. Every change moves the record's update stamp (UPDDATTIM on SOAP and REST,
 * `_updateStamp` on GraphQL) to the emulator's clock, and an addition sets the creation stamp too.
 *
 * Closing is the "active" flag off: ENAFLG ("Actif en sélection") on all three tables [C: dictionary CSV
 * x3-dictionary-fields-GACCENTRY-BPSUPPLIER-GACCOUNT…csv lists ENAFLG_0 for GACCOUNT, CACCE and BPSUPPLIER];
 * GraphQL shows it as `isActive` [C for supplier: fact sheet §3.4; I for account and dimension]. Deleting a
 * record is also offered ('delete'): X3 refuses it for a record used in entries [I], but a test of the trigger
 * needs the disappearance.
 *
 * Used directly (`changeMasterData(emulator.state, …)`) or over HTTP: POST /__emulator/master-data with the same
 * JSON object; the answer is the record after the change.
 */
import type { EmuAccount, EmuDimension, EmuSupplier, X3State } from './state';

export type MasterDataAction = 'add' | 'rename' | 'close' | 'reopen' | 'delete';

export type MasterDataChangeRequest =
	| { kind: 'account'; action: MasterDataAction; code: string; label?: string; chart?: string }
	| { kind: 'dimension'; action: MasterDataAction; type: string; code: string; label?: string }
	| { kind: 'supplier'; action: MasterDataAction; code: string; label?: string };

export type MasterDataRecord = EmuAccount | EmuDimension | EmuSupplier;

export class MasterDataChangeError extends Error {}

interface Table<T extends MasterDataRecord> {
	map: Map<string, T>;
	key: string;
	create: (label: string, now: string) => T;
	setLabel: (record: T, label: string) => void;
}

/** Description and short description (10 characters) of an account or dimension value. */
function describedAs(label: string) {
	return { description: label, shortDescription: label.slice(0, 10) };
}

/** A new record: active, created and updated now. */
function stamped(now: string) {
	return { isActive: true, createdAt: now, updatedAt: now };
}

function table(state: X3State, request: MasterDataChangeRequest): Table<MasterDataRecord> {
	if (request.kind === 'account') {
		const chart = request.chart ?? state.layout.chartOfAccounts;
		return {
			map: state.accounts,
			key: `${chart}|${request.code}`,
			create: (label, now): EmuAccount => ({
				chart,
				code: request.code,
				...describedAs(label),
				requiredDimensionTypes: [],
				...stamped(now),
			}),
			setLabel: (record, label) => Object.assign(record, describedAs(label)),
		} as Table<MasterDataRecord>;
	}
	if (request.kind === 'dimension') {
		if (!state.dimensionTypes.has(request.type))
			throw new MasterDataChangeError(`Unknown dimension type ${request.type}`);
		return {
			map: state.dimensions,
			key: `${request.type}|${request.code}`,
			create: (label, now): EmuDimension => ({
				type: request.type,
				code: request.code,
				...describedAs(label),
				...stamped(now),
			}),
			setLabel: (record, label) => Object.assign(record, describedAs(label)),
		} as Table<MasterDataRecord>;
	}
	return {
		map: state.suppliers,
		key: request.code,
		create: (label, now): EmuSupplier => ({
			code: request.code,
			name: label,
			shortName: label.slice(0, 10).toUpperCase(),
			category: 'SUPUS',
			country: 'US',
			currency: 'USD',
			addressCode: 'MAIN',
			origin: 'created',
			brexVendorId: null,
			...stamped(now),
		}),
		setLabel: (record, label) => {
			const supplier = record as EmuSupplier;
			supplier.name = label;
			supplier.shortName = label.slice(0, 10).toUpperCase();
		},
	} as Table<MasterDataRecord>;
}

/** Applies one change; returns the record after it (for 'delete', the record as it was). */
export function changeMasterData(
	state: X3State,
	request: MasterDataChangeRequest,
): MasterDataRecord {
	if (!request || typeof request.code !== 'string' || request.code.trim() === '')
		throw new MasterDataChangeError('code is required');
	const target = table(state, request);
	const now = state.nowIso();
	const existing = target.map.get(target.key);
	if (request.action === 'add') {
		if (existing) throw new MasterDataChangeError(`${request.kind} ${request.code} already exists`);
		const created = target.create(request.label ?? request.code, now);
		target.map.set(target.key, created);
		return created;
	}
	if (!existing) throw new MasterDataChangeError(`${request.kind} ${request.code} does not exist`);
	switch (request.action) {
		case 'rename':
			if (typeof request.label !== 'string' || request.label === '')
				throw new MasterDataChangeError('label is required to rename');
			target.setLabel(existing, request.label);
			break;
		case 'close':
			existing.isActive = false;
			break;
		case 'reopen':
			existing.isActive = true;
			break;
		case 'delete':
			target.map.delete(target.key);
			return existing;
		default:
			throw new MasterDataChangeError(`Unknown action ${String(request.action)}`);
	}
	existing.updatedAt = now;
	return existing;
}

/** X3's text form of a Datetime column in SOAP rows: ISO 8601 UTC to the second [I: no source shows one]. */
export function x3DatetimeText(iso: string): string {
	return `${iso.slice(0, 19)}Z`;
}

/** The answer of POST /__emulator/master-data. */
export function masterDataRoute(
	state: X3State,
	body: Record<string, unknown>,
): { status: number; body: unknown } {
	try {
		return { status: 200, body: changeMasterData(state, body as MasterDataChangeRequest) };
	} catch (error) {
		if (error instanceof MasterDataChangeError)
			return { status: 400, body: { error: error.message } };
		throw error;
	}
}
