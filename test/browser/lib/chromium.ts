/**
 * Debian's Chromium (/usr/bin/chromium, installed by test/browser/run.sh when missing) driven by
 * playwright-core: no browser download, a fresh profile per launch, and no background traffic (without
 * these flags Chromium keeps calling Google services, which on a closed network only burns CPU).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BREX_X3_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--disable-default-apps',
	'--disable-extensions',
	'--metrics-recording-only',
	'--password-store=basic',
];

export interface Browser {
	context: BrowserContext;
	page: Page;
	/** Closes Chromium and removes its profile folder. */
	close(): Promise<void>;
}

export interface LaunchOptions {
	viewport?: { width: number; height: number };
	/** Device pixel ratio of screenshots (1 keeps the PNGs small). */
	deviceScaleFactor?: number;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}; run test/browser/run.sh (it installs Debian's chromium) ` +
				'or set BREX_X3_CHROMIUM to a Chromium binary',
		);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'brex-x3-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: options.viewport ?? { width: 1440, height: 900 },
			deviceScaleFactor: options.deviceScaleFactor ?? 1,
			locale: 'en-US',
			timezoneId: 'UTC',
			// The editor reads and writes the clipboard (paste of workflow JSON).
			permissions: ['clipboard-read', 'clipboard-write'],
		});
	} catch (error) {
		fs.rmSync(profile, { recursive: true, force: true });
		throw error;
	}
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		async close() {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
