/**
 * The README's picture of a split accounting record booked line by line (docs/images/coded-split-entry.png):
 * a Brex record with four coded expense lines from the Brex emulator, posted by Post Spend (n8n-core execution,
 * real SOAP transport) into the X3 emulator, and that entry of the emulator's ledger page photographed in headless
 * Chromium. Run: `npx tsc -p tsconfig.dev.json && node build/scripts/codedEntryPicture.js` (Chromium as for
 * `npm run screenshots`).
 */
import * as path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { normaliseAccountingRecord } from '../nodes/brexApi/spendItem';
import { launchChromium } from '../test/browser/lib/chromium';
import { startBrexEmulator } from '../test/emulators/brex/server';
import { ledgerHtml } from '../test/emulators/x3/ledger';
import { startX3Emulator } from '../test/emulators/x3/server';
import { REPO_ROOT } from '../test/e2e/lib/tools';
import { CODED_POST_SPEND } from '../test/support/codedPosting';
import {
	chain,
	runWorkflow,
	sageX3Node,
	spendSourceNode,
	x3Credentials,
} from '../test/support/n8nCoreHarness';

async function main(): Promise<void> {
	const brex = await startBrexEmulator({ seed: 11, expenseCount: 300 });
	const x3 = await startX3Emulator();
	try {
		const record = [...brex.state.accountingRecords.values()].find(
			(candidate) =>
				candidate.review_status === 'READY_FOR_EXPORT' &&
				candidate.source_type === 'CARD' &&
				candidate.expenseLines === 4,
		);
		if (!record) throw new Error('The seeded Brex data has no four-line record');
		const item = normaliseAccountingRecord(brex.renderAccountingRecord(record.id) as IDataObject);
		const result = await runWorkflow(
			[
				spendSourceNode([item as unknown as IDataObject]),
				sageX3Node('Post Spend', CODED_POST_SPEND, [200, 0]),
			],
			chain('Spend Source', 'Post Spend'),
			x3Credentials(x3),
		);
		const posted = result.outputs['Post Spend']?.success[0]?.json.postResult as IDataObject;
		if (posted?.status !== 'posted') throw new Error(`Not posted: ${JSON.stringify(posted)}`);
		const view = x3.ledger();
		const entries = view.entries.filter((entry) => entry.documentNumber === posted.documentNumber);
		const browser = await launchChromium({
			viewport: { width: 1200, height: 400 },
			deviceScaleFactor: 2,
		});
		try {
			await browser.page.setContent(ledgerHtml({ ...view, entries, count: 1 }, 3600));
			const file = path.join(REPO_ROOT, 'docs', 'images', 'coded-split-entry.png');
			await browser.page.locator('table').screenshot({ path: file });
			process.stdout.write(`${file}\n`);
		} finally {
			await browser.close();
		}
	} finally {
		await brex.close();
		await x3.close();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
	process.exitCode = 1;
});
