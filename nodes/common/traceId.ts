import { createHash } from 'node:crypto';

/**
 * Deterministic trace ids: the same Brex record always gets the same id, so a retry or a replay finds the
 * entry it already created. Short enough for X3's source-document field BPRVCR (20 characters).
 */

export type SpendRecordKind = 'expense' | 'cardTransaction' | 'accountingRecord';

const KIND_LETTER: Record<SpendRecordKind, string> = {
	expense: 'E',
	cardTransaction: 'T',
	accountingRecord: 'A',
};

/** Crockford base32: no I, L, O, U, so ids survive being read aloud or retyped from an X3 screen. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function base32(bytes: Uint8Array, length: number): string {
	let out = '';
	let buffer = 0;
	let bits = 0;
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte;
		bits += 8;
		while (bits >= 5 && out.length < length) {
			out += BASE32[(buffer >>> (bits - 5)) & 31];
			bits -= 5;
		}
		buffer &= (1 << bits) - 1;
		if (out.length >= length) break;
	}
	return out;
}

export function hashToBase32(text: string, length: number): string {
	return base32(createHash('sha256').update(text, 'utf8').digest(), length);
}

export const TRACE_ID_MIN_LENGTH = 12;

/**
 * Trace id of one Brex record: `BRX<kind>-<hash>`; `maxLength` is the width of the X3 field that carries it
 * (20 for BPRVCR, 25 for REFINT). 60 bits of hash at the minimum length keep collisions out of reach.
 */
export function spendTraceId(kind: SpendRecordKind, brexId: string, maxLength = 20): string {
	if (maxLength < TRACE_ID_MIN_LENGTH) {
		throw new Error(
			`A trace id needs at least ${TRACE_ID_MIN_LENGTH} characters; the field allows ${maxLength}`,
		);
	}
	const prefix = `BRX${KIND_LETTER[kind]}-`;
	return prefix + hashToBase32(`${kind}:${brexId}`, Math.min(maxLength, 32) - prefix.length);
}

/**
 * Trace id of an entry set (several items in one journal entry): derived from the sorted member trace ids, so
 * the same set always gets the same id whatever order the items arrived in.
 */
export function entrySetTraceId(memberTraceIds: string[], maxLength = 20): string {
	if (memberTraceIds.length === 1) return memberTraceIds[0].slice(0, maxLength);
	const prefix = 'BRXS-';
	const sorted = [...memberTraceIds].sort();
	return prefix + hashToBase32(sorted.join('|'), Math.min(maxLength, 32) - prefix.length);
}

/**
 * Trace id of one Brex accounting line item (arli_…): `BRXL-<hash>`. A coded record's expense lines carry it, so a
 * replay of the record finds each of its lines in X3.
 */
export function lineItemTraceId(lineItemId: string, maxLength = 20): string {
	if (maxLength < TRACE_ID_MIN_LENGTH) {
		throw new Error(
			`A trace id needs at least ${TRACE_ID_MIN_LENGTH} characters; the field allows ${maxLength}`,
		);
	}
	const prefix = 'BRXL-';
	return prefix + hashToBase32(`lineItem:${lineItemId}`, Math.min(maxLength, 32) - prefix.length);
}

/**
 * The economic event a record announces, as the Brex id that names the purchase: one purchase is one expense
 * (expense_…), its card transaction links to it (`expense_id`) and the accounting record Brex derives from it
 * names it (`source_id` with `source_type` CARD or REIMBURSEMENT). All three get the expense's trace id, so
 * whichever reaches Post Spend first is booked and the others are found as already posted. A record that names no
 * expense (a card transaction read without expand[]=expense_id, a BILL record) is its own event.
 */
export function purchaseTraceId(
	kind: SpendRecordKind,
	brexId: string,
	expenseId: string | null,
	maxLength = 20,
): string {
	return expenseId
		? spendTraceId('expense', expenseId, maxLength)
		: spendTraceId(kind, brexId, maxLength);
}
