/**
 * The ledger view: every journal entry posted to the emulator with its lines, and exact totals per currency,
 * account and dimension (bigint minor units, never floats). /ledger.json for tests, /ledger for people.
 */

import type { X3Layout } from '../../../nodes/SageX3/transport/gateway.types';
import { X3State, checkAmount, formatAmount, isoDate } from './state';

export interface LedgerAmounts {
	debit: string;
	credit: string;
	/** debit - credit */
	net: string;
}

export interface LedgerLine {
	lineNumber: number;
	account: string;
	debit: string | null;
	credit: string | null;
	dimensions: Record<string, string>;
	businessPartner: string | null;
	taxCode: string | null;
	description: string;
	/** Value of the layout's line trace field (starts with the item trace id on grouped entries). */
	lineTrace: string;
}

export interface LedgerEntry {
	entryType: string;
	documentNumber: string;
	accountingDate: string;
	site: string;
	company: string;
	journal: string;
	currency: string;
	reference: string;
	description: string;
	/** Value of the layout's trace field. */
	traceId: string;
	status: string;
	createdBy: string;
	createdAt: string;
	totals: { debit: string; credit: string };
	lines: LedgerLine[];
}

export interface LedgerView {
	count: number;
	lineCount: number;
	entries: LedgerEntry[];
	totals: {
		byCurrency: Record<
			string,
			LedgerAmounts & {
				byAccount: Record<string, LedgerAmounts>;
				/** dimension type -> dimension value -> amounts */
				byDimension: Record<string, Record<string, LedgerAmounts>>;
			}
		>;
	};
}

class Totals {
	debit = 0n;
	credit = 0n;
	add(debit: bigint, credit: bigint) {
		this.debit += debit;
		this.credit += credit;
	}
	view(currency: string): LedgerAmounts {
		return {
			debit: formatAmount(this.debit, currency),
			credit: formatAmount(this.credit, currency),
			net: formatAmount(this.debit - this.credit, currency),
		};
	}
}

function minor(amount: string | null, currency: string): bigint {
	if (amount === null) return 0n;
	return checkAmount(amount, currency).minor ?? 0n;
}

export function ledgerView(state: X3State, layout: X3Layout): LedgerView {
	const byCurrency = new Map<
		string,
		{ total: Totals; accounts: Map<string, Totals>; dimensions: Map<string, Map<string, Totals>> }
	>();
	const entries: LedgerEntry[] = state.journalEntries.map((entry) => {
		const currency = entry.currency;
		let bucket = byCurrency.get(currency);
		if (!bucket) {
			bucket = { total: new Totals(), accounts: new Map(), dimensions: new Map() };
			byCurrency.set(currency, bucket);
		}
		const entryTotals = new Totals();
		for (const line of entry.lines) {
			const debit = minor(line.debit, currency);
			const credit = minor(line.credit, currency);
			entryTotals.add(debit, credit);
			bucket.total.add(debit, credit);
			if (!bucket.accounts.has(line.account)) bucket.accounts.set(line.account, new Totals());
			bucket.accounts.get(line.account)!.add(debit, credit);
			for (const [type, code] of Object.entries(line.dimensions)) {
				if (!bucket.dimensions.has(type)) bucket.dimensions.set(type, new Map());
				const values = bucket.dimensions.get(type)!;
				if (!values.has(code)) values.set(code, new Totals());
				values.get(code)!.add(debit, credit);
			}
		}
		return {
			entryType: entry.entryType,
			documentNumber: entry.documentNumber,
			accountingDate: isoDate(entry.accountingDate),
			site: entry.site,
			company: entry.company,
			journal: entry.journal,
			currency,
			reference: entry.reference,
			description: entry.description,
			traceId: entry.traceValue,
			status: entry.status,
			createdBy: entry.createdBy,
			createdAt: entry.createdAt,
			totals: {
				debit: entryTotals.view(currency).debit,
				credit: entryTotals.view(currency).credit,
			},
			lines: entry.lines.map((line) => ({
				lineNumber: line.lineNumber,
				account: line.account,
				debit: line.debit,
				credit: line.credit,
				dimensions: { ...line.dimensions },
				businessPartner: line.businessPartner,
				taxCode: line.taxCode,
				description: line.description,
				lineTrace: line.fields[layout.journalEntry.lineTraceField] ?? '',
			})),
		};
	});
	const totals: LedgerView['totals'] = { byCurrency: {} };
	for (const [currency, bucket] of [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1))) {
		const byAccount: Record<string, LedgerAmounts> = {};
		for (const [account, t] of [...bucket.accounts].sort(([a], [b]) => (a < b ? -1 : 1)))
			byAccount[account] = t.view(currency);
		const byDimension: Record<string, Record<string, LedgerAmounts>> = {};
		for (const [type, values] of bucket.dimensions) {
			byDimension[type] = {};
			for (const [code, t] of [...values].sort(([a], [b]) => (a < b ? -1 : 1)))
				byDimension[type][code] = t.view(currency);
		}
		totals.byCurrency[currency] = { ...bucket.total.view(currency), byAccount, byDimension };
	}
	return {
		count: entries.length,
		lineCount: entries.reduce((sum, entry) => sum + entry.lines.length, 0),
		entries,
		totals,
	};
}

function html(text: unknown): string {
	return String(text ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** A self-contained page (no scripts, no external assets) that reloads itself every few seconds. */
export function ledgerHtml(view: LedgerView, refreshSeconds = 3): string {
	const rows = view.entries
		.map((entry) => {
			const lines = entry.lines
				.map(
					(line) =>
						`<tr class="line"><td>${line.lineNumber}</td><td>${html(line.account)}</td>` +
						`<td class="num">${html(line.debit ?? '')}</td><td class="num">${html(line.credit ?? '')}</td>` +
						`<td>${html(
							Object.entries(line.dimensions)
								.map(([t, c]) => `${t}=${c}`)
								.join(' '),
						)}</td>` +
						`<td>${html(line.businessPartner ?? '')}</td><td>${html(line.description)}</td></tr>`,
				)
				.join('');
			return (
				`<tbody><tr class="entry"><th colspan="7">${html(entry.documentNumber)} · ${html(entry.entryType)} · ` +
				`${html(entry.accountingDate)} · ${html(entry.site)} · ${html(entry.currency)} · trace <code>${html(entry.traceId)}</code>` +
				` · ${html(entry.description)} · debit ${html(entry.totals.debit)} / credit ${html(entry.totals.credit)}</th></tr>` +
				`${lines}</tbody>`
			);
		})
		.join('');
	const currencyRows = Object.entries(view.totals.byCurrency)
		.map(
			([currency, t]) =>
				`<li>${html(currency)}: debit ${html(t.debit)}, credit ${html(t.credit)}</li>`,
		)
		.join('');
	return (
		'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
		`<meta http-equiv="refresh" content="${refreshSeconds}">` +
		'<title>X3 emulator ledger</title><style>' +
		'body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}' +
		'td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}.num{text-align:right}' +
		'tr.entry th{background:#eef}code{font-size:90%}' +
		'</style></head><body>' +
		`<h1>X3 emulator ledger</h1><p>${view.count} entries, ${view.lineCount} lines.</p>` +
		`<ul>${currencyRows}</ul>` +
		'<table><thead><tr><th>Line</th><th>Account</th><th>Debit</th><th>Credit</th><th>Dimensions</th>' +
		`<th>Partner</th><th>Description</th></tr></thead>${rows}</table></body></html>`
	);
}
