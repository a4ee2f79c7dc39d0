import { JOURNAL_HEADER_SETTINGS } from './gateway.types';
import type { SupplierFieldKey, X3Layout } from './gateway.types';

/**
 * X3 Setup's `BLOCK.FIELD` placements (by setting, e.g. "supplier.country" -> "BPRC_1",
 * "journalEntry.dimensionPrefix" -> "GAS2_1") carried into the layout's own placement settings, so the gateway
 * writes those fields where the customer's publication has them: supplier fields through `fieldBlocks`, the
 * dimension fields through `analyticsBlock`. Placements the layout cannot express (a header or line field of a
 * journal entry in another block) come back in `unplaced`, for the caller to handle or refuse.
 */
export function layoutWithPlacements(
	layout: X3Layout,
	placements: Record<string, string>,
): { layout: X3Layout; unplaced: Record<string, string> } {
	const journal = { ...layout.journalEntry };
	const supplier = { ...layout.supplier, fieldBlocks: { ...layout.supplier.fieldBlocks } };
	const unplaced: Record<string, string> = {};
	for (const [setting, rawBlock] of Object.entries(placements)) {
		const block = rawBlock.trim();
		const [section, key] = setting.split('.', 2);
		if (section === 'supplier' && key in layout.supplier.fields) {
			if (block !== supplier.block) supplier.fieldBlocks[key as SupplierFieldKey] = block;
		} else if (setting === 'journalEntry.dimensionPrefix') {
			if (block !== journal.linesBlock) journal.analyticsBlock = block;
		} else if (section === 'journalEntry') {
			const home = (JOURNAL_HEADER_SETTINGS as readonly string[]).includes(key)
				? journal.headerBlock
				: journal.linesBlock;
			if (block !== home) unplaced[setting] = block;
		} else {
			unplaced[setting] = block;
		}
	}
	return { layout: { ...layout, journalEntry: journal, supplier }, unplaced };
}
