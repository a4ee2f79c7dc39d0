import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { BrexApi } from '../../credentials/BrexApi.credentials';
import { BREX_OAUTH2_SCOPES, BrexOAuth2Api } from '../../credentials/BrexOAuth2Api.credentials';

/** Evaluates an n8n `={{ … }}` default that only reads `$self` (the credential's own values). */
function evaluateSelfExpression(expression: string, self: IDataObject): unknown {
	const match = /^=\{\{([\s\S]*)\}\}$/.exec(expression);
	if (!match) throw new Error(`not an expression: ${expression}`);
	return new Function('$self', `return (${match[1]});`)(self);
}

function property(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.find((p) => p.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

describe('BrexApi credential', () => {
	const credential = new BrexApi();

	it('is named brexApi with a themed icon and documentation URL', () => {
		expect(credential.name).toBe('brexApi');
		expect(credential.displayName).toBe('Brex API');
		expect(credential.icon).toEqual({
			light: 'file:icons/brex.svg',
			dark: 'file:icons/brex.dark.svg',
		});
		expect(credential.documentationUrl).toMatch(/^https:\/\/developer\.brex\.com\//);
	});

	it('keeps the token in a password field and sends it as a bearer token', async () => {
		const token = property(credential.properties, 'accessToken');
		expect(token.typeOptions?.password).toBe(true);
		expect(token.required).toBe(true);
		// A function, not a generic `={{…}}` header: no expression engine on the request path.
		expect(typeof credential.authenticate).toBe('function');
		const signed = await credential.authenticate(
			{ accessToken: 'bxt_test_token', baseUrl: 'https://api.brex.com' },
			{ url: '/v1/expenses', headers: { Accept: 'application/json' } },
		);
		expect(signed.headers).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer bxt_test_token',
		});
	});

	it('has an editable base URL defaulting to production', () => {
		const baseUrl = property(credential.properties, 'baseUrl');
		expect(baseUrl.type).toBe('string');
		expect(baseUrl.default).toBe('https://api.brex.com');
	});

	it('tests with a cheap read against the configured base URL and explains 401 and 403', () => {
		expect(credential.test.request).toMatchObject({
			baseURL: '={{$credentials.baseUrl}}',
			url: '/v1/expenses',
			method: 'GET',
			qs: { limit: 1 },
		});
		const rules = (credential.test.rules ?? []).map((rule) => [
			rule.type,
			(rule.properties as { value: number }).value,
			(rule.properties as { message: string }).message,
		]);
		expect(rules).toHaveLength(2);
		expect(rules[0][0]).toBe('responseCode');
		expect(rules[0][1]).toBe(401);
		expect(rules[0][2]).toMatch(/invalid or has been revoked.*Developer → Settings/);
		expect(rules[1][1]).toBe(403);
		expect(rules[1][2]).toMatch(/expired after a period without use/);
	});
});

describe('BrexOAuth2Api credential', () => {
	const credential = new BrexOAuth2Api();

	it('extends oAuth2Api with the authorization code grant', () => {
		expect(credential.name).toBe('brexOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(property(credential.properties, 'grantType').default).toBe('authorizationCode');
		expect(credential.icon).toEqual({
			light: 'file:icons/brex.svg',
			dark: 'file:icons/brex.dark.svg',
		});
	});

	it('asks for openid, offline_access and the read scopes the package uses', () => {
		const scope = String(property(credential.properties, 'scope').default).split(' ');
		expect(scope).toEqual(BREX_OAUTH2_SCOPES);
		for (const needed of [
			'openid',
			'offline_access',
			'expenses.card.readonly',
			'transactions.card.readonly',
			'accounting.record.read',
			'accounting.record.write',
			'vendors.readonly',
			'users.readonly',
			'departments.readonly',
			'locations.readonly',
			'budgets.readonly',
			'fields.read',
			'fields.write',
			'field_values.read',
			'field_values.write',
		]) {
			expect(scope).toContain(needed);
		}
	});

	it('names the Fields API scopes in a notice on both Brex credentials', () => {
		const fieldScopes = ['fields.read', 'fields.write', 'field_values.read', 'field_values.write'];
		const oauthNotice = property(credential.properties, 'scopesNotice');
		const tokenNotice = property(new BrexApi().properties, 'fieldsScopesNotice');
		for (const notice of [oauthNotice, tokenNotice]) {
			expect(notice.type).toBe('notice');
			for (const scope of fieldScopes) expect(notice.displayName).toContain(scope);
		}
	});

	it('uses Brex production URLs by default and the custom ones for the custom environment', () => {
		const authUrl = String(property(credential.properties, 'authUrl').default);
		const tokenUrl = String(property(credential.properties, 'accessTokenUrl').default);
		const production = { environment: 'production', customAuthUrl: 'x', customAccessTokenUrl: 'y' };
		expect(evaluateSelfExpression(authUrl, production)).toBe(
			'https://accounts-api.brex.com/oauth2/default/v1/authorize',
		);
		expect(evaluateSelfExpression(tokenUrl, production)).toBe(
			'https://accounts-api.brex.com/oauth2/default/v1/token',
		);
		const emulator = {
			environment: 'custom',
			customAuthUrl: 'http://127.0.0.1:5555/oauth2/default/v1/authorize',
			customAccessTokenUrl: 'http://127.0.0.1:5555/oauth2/default/v1/token',
		};
		expect(evaluateSelfExpression(authUrl, emulator)).toBe(emulator.customAuthUrl);
		expect(evaluateSelfExpression(tokenUrl, emulator)).toBe(emulator.customAccessTokenUrl);
	});

	it('has n8n refresh the access token on 403 "Expired token" (Brex) as well as on 401', () => {
		const statusCodes = property(credential.properties, 'tokenExpiredStatusCode');
		expect(statusCodes.type).toBe('hidden');
		expect(statusCodes.default).toEqual([401, 403]);
	});

	it('shows the custom URLs only for the custom environment, and always the API base URL', () => {
		expect(property(credential.properties, 'environment').default).toBe('production');
		expect(property(credential.properties, 'customAuthUrl').displayOptions).toEqual({
			show: { environment: ['custom'] },
		});
		expect(property(credential.properties, 'customAccessTokenUrl').displayOptions).toEqual({
			show: { environment: ['custom'] },
		});
		const baseUrl = property(credential.properties, 'baseUrl');
		expect(baseUrl.displayOptions).toBeUndefined();
		expect(baseUrl.default).toBe('https://api.brex.com');
	});
});
