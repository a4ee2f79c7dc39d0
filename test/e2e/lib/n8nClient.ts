/**
 * The two APIs the tests, the sandbox and the screenshot script drive n8n through: the editor's REST API with the
 * owner's session cookie, and the public API (/api/v1) with an API key the owner creates once.
 */
export interface N8nOwner {
	email: string;
	password: string;
}

export class N8nClient {
	private cookie: string | undefined;
	private key: string | undefined;

	/** `label` names the browser id and the API key, so n8n's logs say which tool called. */
	constructor(
		readonly baseUrl: string,
		private readonly owner: N8nOwner,
		private readonly label: string,
	) {}

	/** Forgets the session (n8n restarted); the API key stays valid across restarts. */
	forgetSession(): void {
		this.cookie = undefined;
	}

	/** Logs the owner in; the cookie is reused until forgetSession(). */
	async login(): Promise<string> {
		if (this.cookie) return this.cookie;
		const response = await fetch(`${this.baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': this.label },
			body: JSON.stringify({ emailOrLdapLoginId: this.owner.email, password: this.owner.password }),
		});
		if (!response.ok)
			throw new Error(`n8n login failed: ${response.status} ${await response.text()}`);
		const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
		if (cookies.length === 0) throw new Error('n8n login set no cookie');
		this.cookie = cookies.join('; ');
		return this.cookie;
	}

	/** REST (editor) API call with the owner's session; throws with the body on a non-2xx answer. */
	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const cookie = await this.login();
		return await this.send<T>(`${this.baseUrl}${urlPath}`, method, body, {
			cookie,
			'browser-id': this.label,
		});
	}

	/** A public-API key with every scope the owner may grant (created once). */
	async apiKey(): Promise<string> {
		if (this.key) return this.key;
		const scopes = await this.rest<{ data: string[] }>('GET', '/rest/api-keys/scopes');
		const created = await this.rest<{ data: { rawApiKey: string } }>('POST', '/rest/api-keys', {
			label: `${this.label}-${Date.now().toString(36)}`,
			scopes: scopes.data,
			expiresAt: null,
		});
		this.key = created.data.rawApiKey;
		return this.key;
	}

	/** Public API (/api/v1) call; throws with the body on a non-2xx answer. */
	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const key = await this.apiKey();
		return await this.send<T>(`${this.baseUrl}/api/v1${urlPath}`, method, body, {
			'X-N8N-API-KEY': key,
			accept: 'application/json',
		});
	}

	private async send<T>(
		url: string,
		method: string,
		body: unknown,
		headers: Record<string, string>,
	): Promise<T> {
		const response = await fetch(url, {
			method,
			headers: {
				...headers,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) {
			const shown = url.slice(this.baseUrl.length);
			throw new Error(`${method} ${shown} → ${response.status}: ${text.slice(0, 500)}`);
		}
		return (text ? JSON.parse(text) : undefined) as T;
	}
}
