/**
 * The sync template running in a real n8n against the Brex and X3 emulators, for the attack-corpus and
 * hostile-input reliability tests: emulators with per-run random credentials (so a leak of them is
 * detectable), the template imported unchanged through n8n's CLI, its data tables created by its own
 * "Set up tables" branch, and the workflow published with its webhook registered at Brex.
 */
import { randomBytes } from 'node:crypto';

import {
	startBrexEmulator,
	type BrexEmulator,
	type BrexEmulatorOptions,
} from '../../emulators/brex/server';
import {
	startX3Emulator,
	type X3Emulator,
	type X3EmulatorOptions,
} from '../../emulators/x3/server';
import { N8nInstance } from '../../e2e/lib/n8nInstance';
import { scanRun } from './secretScan';
import { waitFor } from '../../e2e/lib/tools';
import { webhookUrlOf } from '../../e2e/sync/drive';
import {
	SYNC_NODES,
	SYNC_TEMPLATE_FILE,
	emulatorCredentials,
	emulatorEndpoints,
	launcherPersonality,
	readTemplate,
	runManually,
	templateNode,
	type Template,
} from '../../e2e/sync/stack';

export interface HardeningStack {
	brex: BrexEmulator;
	x3: X3Emulator;
	n8n: N8nInstance;
	sync: Template;
	/** Production URL of the template's Brex Trigger (webhook). */
	hookUrl: string;
	/** Every credential value of this run, labelled for findSecrets(). */
	secrets(): Record<string, string>;
	dispose(): Promise<void>;
}

export interface HardeningStackOptions {
	name: string;
	seed: number;
	brex?: BrexEmulatorOptions;
	x3?: X3EmulatorOptions;
	n8nEnv?: Record<string, string>;
}

const X3_USER = 'ADMIN';

/** Random printable credential text (base64url: survives URLs and JSON unchanged, so every form is searched). */
function randomCredential(prefix: string): string {
	return `${prefix}${randomBytes(18).toString('base64url')}`;
}

export async function startHardeningStack(options: HardeningStackOptions): Promise<HardeningStack> {
	const brexToken = randomCredential('bxt_rel_');
	const x3Password = randomCredential('x3pw-');
	const sync = readTemplate(SYNC_TEMPLATE_FILE);
	let brex: BrexEmulator | undefined;
	let x3: X3Emulator | undefined;
	let n8n: N8nInstance | undefined;
	const dispose = async () => {
		await n8n?.dispose();
		await brex?.close();
		await x3?.close();
	};
	try {
		brex = await startBrexEmulator({
			seed: options.seed,
			expenseCount: 12,
			vendorCount: 8,
			knownVendorShare: 1,
			tokens: [brexToken],
			// Retries only for answers the template gives on purpose (503 when enrichment fails).
			faults: { deliveryRetryScheduleMs: [500, 2_000] },
			...options.brex,
		});
		x3 = await startX3Emulator({
			seed: options.seed,
			seedOptions: { seed: options.seed, vendorCount: 8, knownVendorShare: 1 },
			users: { [X3_USER]: x3Password },
			poolSize: 4,
			// The X3 the template is set up for (X3_EMULATOR_PERSONALITY chooses another).
			...launcherPersonality(),
			...options.x3,
		});
		n8n = await N8nInstance.create({
			name: options.name,
			// The production setting the template's overview note recommends.
			env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '4', ...options.n8nEnv },
		});
		await n8n.importCredentials(emulatorCredentials(emulatorEndpoints(brex, x3)));
		await n8n.cli(['import:workflow', `--input=${SYNC_TEMPLATE_FILE}`]);
		await n8n.start();
		await runManually(n8n, sync.id, SYNC_NODES.setupTables);

		const hookUrl = webhookUrlOf(n8n, templateNode(sync, SYNC_NODES.webhookTrigger));
		await n8n.activate(sync.id);
		await n8n.waitForWebhook(hookUrl.slice(hookUrl.indexOf('/webhook/') + '/webhook/'.length));
		const emulator = brex;
		await waitFor(
			() => [...emulator.state.webhooks.values()].some((hook) => hook.url === hookUrl),
			{ timeoutMs: 120_000, describe: () => `a Brex webhook subscription for ${hookUrl}` },
		);

		const started = { brex, x3, n8n };
		return {
			...started,
			sync,
			hookUrl,
			secrets: () => ({
				brexToken: started.brex.token,
				...Object.fromEntries(
					started.brex.state.webhookSecrets.map((secret, index) => [
						`brexWebhookSecret${index + 1}`,
						secret.secret,
					]),
				),
				user: started.x3.config.user,
				password: started.x3.config.password,
				x3ConnectedAppSecret: started.x3.config.clientSecret,
			}),
			dispose,
		};
	} catch (error) {
		await dispose();
		throw error;
	}
}

/** Prints one figure line of a reliability test. */
export function report(message: string): void {
	console.log(`[reliability] ${message}`);
}

/**
 * The secret-hygiene check both hardening files end with: every execution's data and every n8n log of the run,
 * scanned for every credential value in use; prints the figures and each finding.
 */
export async function expectNoSecretsInRun(stack: HardeningStack): Promise<void> {
	const secrets = stack.secrets();
	const scan = await scanRun(stack.n8n, secrets);
	report(
		`secret scan: ${scan.executions} executions and ${scan.logFiles} log files ` +
			`(${(scan.bytes / 1024).toFixed(0)} KiB) for ${Object.keys(secrets).length} credential values; ` +
			`secrets found: ${scan.findings.length}`,
	);
	for (const finding of scan.findings)
		report(`  found ${finding.secretLabel} in ${finding.source}`);
	expect(scan.executions).toBeGreaterThan(0);
	expect(scan.findings).toEqual([]);
}
