import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	BASIC_AUTH_LABEL,
	base64Fragments,
	collectRunHaystacks,
	findSecrets,
	scanRun,
	secretForms,
} from '../../reliability/lib/secretScan';

const TOKEN = 'bxt_Zq8v2LmN4pRs7TuW';
const PASSWORD = 'p@ss w/rd&"x"+1';

function b64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

function b64url(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64url');
}

function labels(text: string, secrets: Record<string, string>): string[] {
	return findSecrets([{ source: 'h', text }], secrets)
		.map((finding) => finding.secretLabel)
		.sort();
}

describe('findSecrets', () => {
	it('finds the raw value and reports nothing when it is absent', () => {
		expect(labels(`GET /v1/expenses Authorization: Bearer ${TOKEN}`, { token: TOKEN })).toEqual([
			'token',
		]);
		expect(labels('GET /v1/expenses Authorization: Bearer **********', { token: TOKEN })).toEqual(
			[],
		);
	});

	it('finds the value base64-encoded alone and embedded at every byte alignment', () => {
		expect(labels(b64(TOKEN), { token: TOKEN })).toEqual(['token']);
		for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
			for (const suffix of ['', 'z', 'zy']) {
				const encoded = b64(`${prefix}${TOKEN}${suffix}`);
				expect(labels(`data: ${encoded}`, { token: TOKEN })).toEqual(['token']);
			}
		}
		// A value differing inside does not match. (The last few bits of a value share a base64 character with
		// whatever follows, so a value differing only in its last character can still match: by design.)
		expect(labels(b64('bxt_Zq8v2LmN4pRsXTuW and more'), { token: TOKEN })).toEqual([]);
	});

	it('finds the value base64url-encoded inside a JWT-like segment', () => {
		const segment = b64url(JSON.stringify({ sub: 'ADMIN', secret: TOKEN }));
		expect(labels(`eyJhbGciOiJIUzI1NiJ9.${segment}.sig`, { token: TOKEN })).toEqual(['token']);
	});

	it('finds URL-encoded forms (component and form encoding, either hex case) and the JSON-escaped form', () => {
		const secrets = { password: PASSWORD };
		expect(labels(`?pw=${encodeURIComponent(PASSWORD)}`, secrets)).toEqual(['password']);
		expect(
			labels(
				`?pw=${encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())}`,
				secrets,
			),
		).toEqual(['password']);
		expect(labels(new URLSearchParams({ pw: PASSWORD }).toString(), secrets)).toEqual(['password']);
		expect(labels(JSON.stringify({ body: `x ${PASSWORD} y` }), secrets)).toEqual(['password']);
	});

	it('finds the Basic-auth pair and does not search the user name alone', () => {
		const secrets = { user: 'ADMIN', password: PASSWORD };
		const header = `authorization: Basic ${b64(`ADMIN:${PASSWORD}`)}`;
		expect(labels(header, secrets)).toEqual([BASIC_AUTH_LABEL, 'password'].sort());
		expect(labels('createdBy: ADMIN', secrets)).toEqual([]);
		// Without a password label there is no pair to look for.
		expect(labels(header, { user: 'ADMIN' })).toEqual([]);
	});

	it('reports one finding per haystack and secret, with the haystack source', () => {
		const findings = findSecrets(
			[
				{ source: 'execution 1', text: `${TOKEN} ${TOKEN} ${b64(TOKEN)}` },
				{ source: 'n8n.log', text: 'nothing here' },
				{ source: 'execution 2', text: `key=${encodeURIComponent(PASSWORD)} ${TOKEN}` },
			],
			{ token: TOKEN, password: PASSWORD },
		);
		expect(findings).toEqual([
			{ source: 'execution 1', secretLabel: 'token' },
			{ source: 'execution 2', secretLabel: 'token' },
			{ source: 'execution 2', secretLabel: 'password' },
		]);
	});

	it('ignores empty secrets and always searches a short secret in its raw form', () => {
		expect(labels('anything', { empty: '' })).toEqual([]);
		expect(labels('pin=4711;', { pin: '4711' })).toEqual(['pin']);
		// Its base64 fragments are too short to be telling and are not searched.
		expect(secretForms('4711')).not.toContain(b64('4711').slice(0, 4));
	});
});

describe('base64Fragments', () => {
	it('gives, per alignment, only characters that do not depend on the neighbouring bytes', () => {
		const fragments = base64Fragments(TOKEN);
		expect(fragments).toHaveLength(3);
		for (const fragment of fragments) {
			for (const [before, after] of [
				['', ''],
				['\u0000', '\u00ff'],
				['xy', 'q'],
				['xyz', 'qr'],
			]) {
				const candidates = [0, 1, 2].map((n) => b64(`${'!'.repeat(n)}${before}${TOKEN}${after}`));
				expect(candidates.some((encoded) => encoded.includes(fragment))).toBe(true);
			}
		}
	});
});

describe('collectRunHaystacks and scanRun', () => {
	let root: string;

	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
		fs.mkdirSync(path.join(root, 'home', '.n8n', 'nodes', 'node_modules', 'pkg'), {
			recursive: true,
		});
		fs.writeFileSync(path.join(root, 'n8n.log'), 'started\n');
		fs.writeFileSync(path.join(root, 'cli-1-import.log'), 'imported\n');
		fs.writeFileSync(path.join(root, 'home', '.n8n', 'n8nEventLog.log'), `leak ${TOKEN}\n`);
		fs.writeFileSync(path.join(root, 'home', '.n8n', 'n8nEventLog-1.log'), 'rotated\n');
		fs.writeFileSync(
			path.join(root, 'home', '.n8n', 'nodes', 'node_modules', 'pkg', 'x.log'),
			TOKEN,
		);
		fs.writeFileSync(path.join(root, 'database.sqlite'), TOKEN);
	});

	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	function fakeN8n(pages: Array<{ data: unknown[]; nextCursor?: string | null }>) {
		const calls: string[] = [];
		return {
			calls,
			n8n: {
				root,
				async api<T>(method: string, urlPath: string): Promise<T> {
					calls.push(`${method} ${urlPath}`);
					const cursor = new URL(urlPath, 'http://x').searchParams.get('cursor');
					return pages[cursor === null ? 0 : Number(cursor)] as T;
				},
			},
		};
	}

	it('reads every page of executions with their data, and the log files outside node_modules', async () => {
		const { n8n, calls } = fakeN8n([
			{ data: [{ id: '1', workflowId: 'wf', data: { x: 1 } }], nextCursor: '1' },
			{ data: [{ id: '2', workflowId: 'wf', data: { token: TOKEN } }], nextCursor: null },
		]);
		const haystacks = await collectRunHaystacks(n8n);
		expect(calls).toHaveLength(2);
		expect(calls[0]).toContain('includeData=true');
		expect(calls[1]).toContain('cursor=1');
		expect(haystacks.map((haystack) => haystack.source).sort()).toEqual(
			[
				'cli-1-import.log',
				'execution 1 (workflow wf)',
				'execution 2 (workflow wf)',
				path.join('home', '.n8n', 'n8nEventLog-1.log'),
				path.join('home', '.n8n', 'n8nEventLog.log'),
				'n8n.log',
			].sort(),
		);

		const scan = await scanRun(
			fakeN8n([{ data: [{ id: '2', workflowId: 'wf', data: { token: TOKEN } }] }]).n8n,
			{
				token: TOKEN,
			},
		);
		expect(scan.executions).toBe(1);
		expect(scan.logFiles).toBe(4);
		expect(scan.findings).toEqual([
			{ source: 'execution 2 (workflow wf)', secretLabel: 'token' },
			{ source: path.join('home', '.n8n', 'n8nEventLog.log'), secretLabel: 'token' },
		]);
	});
});
