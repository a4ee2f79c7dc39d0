/**
 * Secret hygiene: looks for credential values in what an n8n run leaves behind (execution data, log files).
 *
 * A secret is found in any of the forms it would take on its way out: the raw text, as written inside a JSON
 * string, URL-encoded (path/query and form encoding, either hex case), and base64 / base64url. Base64 is
 * matched at every byte alignment, so a secret embedded in a longer encoded value (an `Authorization: Basic`
 * header, a JWT segment, a token pair) is found too, not only a value encoded on its own. With both a `user`
 * and a `password` label, the Basic-auth form base64(`user:password`) is searched as well.
 *
 * A `user` label is a login name, not a secret: it is used for the Basic-auth pair but not searched alone
 * (user names legitimately appear in X3 data such as "created by"). Every other label is searched.
 * The raw, JSON and URL forms are always searched; base64 fragments shorter than MIN_FRAGMENT_LENGTH are not
 * (a few base64 characters occur in large texts by chance), so give secrets of a realistic length.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SecretFinding {
	/** Where it was found (haystack source). */
	source: string;
	/** Label of the secret (key of the secrets record, or `user:password` for the Basic-auth pair). */
	secretLabel: string;
}

export interface Haystack {
	source: string;
	text: string;
}

/** Shorter base64 fragments are not searched: a 4-character fragment occurs in large texts by chance. */
export const MIN_FRAGMENT_LENGTH = 8;

const USER_LABEL = 'user';
const PASSWORD_LABEL = 'password';
export const BASIC_AUTH_LABEL = 'user:password';

function toBase64Url(base64: string): string {
	return base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The base64 characters that depend only on `value`'s bytes when it starts at byte offset 0, 1 or 2 (mod 3)
 * of a larger encoded buffer: the characters touched by the neighbouring bytes are cut off.
 */
export function base64Fragments(value: string): string[] {
	const bytes = Buffer.from(value, 'utf8');
	const fragments: string[] = [];
	for (let shift = 0; shift < 3; shift++) {
		const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
		const encoded = padded.toString('base64').replace(/=+$/, '');
		// Characters 0..ceil(shift*8/6) mix the (unknown) leading bytes in; the last one may mix trailing bytes.
		const firstClean = Math.ceil((shift * 8) / 6);
		const lastClean = Math.floor(((shift + bytes.length) * 8) / 6);
		const fragment = encoded.slice(firstClean, lastClean);
		if (fragment !== '') fragments.push(fragment);
	}
	return fragments;
}

function urlEncodings(value: string): string[] {
	const component = encodeURIComponent(value);
	const form = new URLSearchParams({ v: value }).toString().slice(2);
	const forms = [component, form];
	for (const encoded of [component, form]) {
		forms.push(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
	}
	return forms;
}

/** Every form of `value` searched (deduplicated; base64 fragments too short to be telling are dropped). */
export function secretForms(value: string): string[] {
	const forms = new Set<string>([
		value,
		JSON.stringify(value).slice(1, -1),
		...urlEncodings(value),
	]);
	for (const fragment of base64Fragments(value)) {
		if (fragment.length < MIN_FRAGMENT_LENGTH) continue;
		forms.add(fragment);
		forms.add(toBase64Url(fragment));
	}
	return [...forms].filter((form) => form !== '');
}

interface Needle {
	label: string;
	forms: string[];
}

function needlesOf(secrets: Record<string, string>): Needle[] {
	const needles: Needle[] = [];
	for (const [label, value] of Object.entries(secrets)) {
		if (label === USER_LABEL || typeof value !== 'string' || value === '') continue;
		needles.push({ label, forms: secretForms(value) });
	}
	const user = secrets[USER_LABEL];
	const password = secrets[PASSWORD_LABEL];
	if (user && password) {
		const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
		needles.push({ label: BASIC_AUTH_LABEL, forms: [basic, toBase64Url(basic)] });
	}
	return needles;
}

/** One finding per haystack and secret that occurs in it (in any form). */
export function findSecrets(
	haystacks: Array<{ source: string; text: string }>,
	secrets: Record<string, string>,
): SecretFinding[] {
	const needles = needlesOf(secrets);
	const findings: SecretFinding[] = [];
	for (const haystack of haystacks) {
		for (const needle of needles) {
			if (needle.forms.some((form) => haystack.text.includes(form))) {
				findings.push({ source: haystack.source, secretLabel: needle.label });
			}
		}
	}
	return findings;
}

/** The parts of a running n8n the collector reads (N8nInstance provides them). */
export interface ScannableN8n {
	root: string;
	api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T>;
}

/** Every `*.log` file under `dir` (n8n's output, CLI runs, the event log in the user folder). */
function logFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	const found: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			if (entry.name !== 'node_modules') found.push(...logFiles(full));
		} else if (/\.log(\.\d+)?$/.test(entry.name)) {
			found.push(full);
		}
	}
	return found;
}

/**
 * What a run left behind in n8n: each execution (every workflow) with its full data from the public API, and
 * every log file of the instance's folder.
 */
export async function collectRunHaystacks(n8n: ScannableN8n): Promise<Haystack[]> {
	const haystacks: Haystack[] = [];
	let cursor: string | undefined;
	do {
		const query = new URLSearchParams({
			includeData: 'true',
			ignoreDataSizeLimit: 'true',
			limit: '100',
		});
		if (cursor) query.set('cursor', cursor);
		const page = await n8n.api<{
			data: Array<{ id: string; workflowId: string }>;
			nextCursor?: string | null;
		}>('GET', `/executions?${query.toString()}`);
		for (const execution of page.data) {
			haystacks.push({
				source: `execution ${execution.id} (workflow ${execution.workflowId})`,
				text: JSON.stringify(execution),
			});
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	for (const file of logFiles(n8n.root)) {
		haystacks.push({
			source: path.relative(n8n.root, file),
			text: fs.readFileSync(file, 'utf8'),
		});
	}
	return haystacks;
}

/** Scans a run and returns the findings and how much was scanned (for the printed figures). */
export async function scanRun(
	n8n: ScannableN8n,
	secrets: Record<string, string>,
	extra: Haystack[] = [],
): Promise<{ findings: SecretFinding[]; executions: number; logFiles: number; bytes: number }> {
	const haystacks = [...(await collectRunHaystacks(n8n)), ...extra];
	const findings = findSecrets(haystacks, secrets);
	return {
		findings,
		executions: haystacks.filter((haystack) => haystack.source.startsWith('execution ')).length,
		logFiles: haystacks.filter((haystack) => /\.log(\.\d+)?$/.test(haystack.source)).length,
		bytes: haystacks.reduce((sum, haystack) => sum + haystack.text.length, 0),
	};
}
