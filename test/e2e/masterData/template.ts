/**
 * The master-data template (workflows/x3-master-data-to-brex.json) as the e2e test, the sandbox and the screenshot
 * script use it: its file, the node names they rely on, and the data table its failure branch writes.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../lib/tools';

export const MASTER_DATA_TEMPLATE_FILE = path.join(
	REPO_ROOT,
	'workflows',
	'x3-master-data-to-brex.json',
);

export const MASTER_DATA_NODES = {
	trigger: 'Sage X3 Trigger',
	fullResync: 'Full re-sync (run manually)',
	listToValues: 'X3 list → values',
	route: 'Route by Brex field',
	summary: 'Summary',
	failure: 'Failure → record',
	syncAccounts: 'Sync GL accounts → Brex',
	syncDep: 'Sync DEP values → Brex',
	syncCct: 'Sync CCT values → Brex',
	syncSuppliers: 'Sync suppliers → Brex',
} as const;

export const MASTER_DATA_FAILURE_TABLE = 'brex_x3_master_data_failures';
