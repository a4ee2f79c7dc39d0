import { inspect } from 'node:util';

import jwt from 'jsonwebtoken';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import {
	clampLifetime,
	ConnectedAppTokenCache,
	connectedAppTokens,
	decodeJwt,
	JwtError,
	signHs256Jwt,
	TOKEN_RENEWAL_MARGIN_SECONDS,
	verifyHs256Jwt,
} from '../../nodes/common/jwt';

const SECRET = 'emulator-connected-app-secret';

describe('HS256 JWT against jsonwebtoken', () => {
	const now = 1_706_700_000;
	const claims = {
		iss: 'brex-sync',
		sub: 'ADMIN',
		aud: 'https://x3.example.com',
		iat: now,
		exp: now + 300,
	};

	it('our token verifies with jsonwebtoken and carries the claims', () => {
		const token = signHs256Jwt(claims, SECRET);
		const verified = jwt.verify(token, SECRET, {
			algorithms: ['HS256'],
			clockTimestamp: now + 10,
			audience: 'https://x3.example.com',
			issuer: 'brex-sync',
			subject: 'ADMIN',
		});
		expect(verified).toEqual(claims);
		expect(jwt.decode(token, { complete: true })?.header).toEqual({ alg: 'HS256', typ: 'JWT' });
	});

	it('a jsonwebtoken-signed token decodes and verifies with ours', () => {
		const token = jwt.sign(
			{ iss: 'brex-sync', sub: 'ADMIN', aud: '', iat: now, exp: now + 120, extra: 'é😀' },
			SECRET,
			{
				algorithm: 'HS256',
			},
		);
		const decoded = decodeJwt(token);
		expect(decoded.header.alg).toBe('HS256');
		expect(decoded.payload).toMatchObject({
			iss: 'brex-sync',
			sub: 'ADMIN',
			aud: '',
			iat: now,
			exp: now + 120,
			extra: 'é😀',
		});
		expect(verifyHs256Jwt(token, SECRET, { nowSeconds: now + 1 })).toMatchObject({ sub: 'ADMIN' });
	});

	it('rejects a wrong secret both ways', () => {
		const ours = signHs256Jwt(claims, SECRET);
		expect(() => jwt.verify(ours, 'another-secret', { clockTimestamp: now })).toThrow(
			/invalid signature/,
		);
		const theirs = jwt.sign(claims, 'another-secret', { algorithm: 'HS256' });
		expect(() => verifyHs256Jwt(theirs, SECRET, { nowSeconds: now })).toThrow(
			'Invalid token signature',
		);
	});

	it('rejects expired tokens, and tampered payloads', () => {
		const token = signHs256Jwt(claims, SECRET);
		expect(() => verifyHs256Jwt(token, SECRET, { nowSeconds: now + 301 })).toThrow('Token expired');
		expect(() => jwt.verify(token, SECRET, { clockTimestamp: now + 301 })).toThrow(/jwt expired/);
		const [header, , signature] = token.split('.');
		const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'SOMEONE' })).toString('base64url');
		expect(() =>
			verifyHs256Jwt(`${header}.${forged}.${signature}`, SECRET, { nowSeconds: now }),
		).toThrow(JwtError);
	});

	it('refuses malformed tokens and an empty secret', () => {
		expect(() => decodeJwt('a.b')).toThrow(JwtError);
		expect(() => decodeJwt('!!.e30.x')).toThrow(/base64url/);
		expect(() => decodeJwt(`${Buffer.from('[1]').toString('base64url')}.e30.x`)).toThrow(
			/JSON object/,
		);
		expect(() => signHs256Jwt(claims, '')).toThrow(JwtError);
	});
});

describe('connected-app token cache', () => {
	const request = {
		clientId: 'brex-sync',
		clientSecret: SECRET,
		user: 'ADMIN',
		audience: '',
		lifetimeSeconds: 300,
	};

	function cacheAt(start: number) {
		const clock = { now: start };
		return { clock, cache: new ConnectedAppTokenCache(() => clock.now) };
	}

	it('signs iss=client id, sub=user, aud=audience, exp = iat + lifetime (at most 300 s)', () => {
		const { cache } = cacheAt(1000);
		const payload = decodeJwt(cache.token({ ...request, lifetimeSeconds: 900 })).payload;
		expect(payload).toEqual({ iss: 'brex-sync', sub: 'ADMIN', aud: '', iat: 1000, exp: 1300 });
		expect(jwt.verify(cache.token(request), SECRET, { clockTimestamp: 1000 })).toMatchObject({
			iss: 'brex-sync',
		});
	});

	it('reuses a token while at least 60 s remain, then signs a new one', () => {
		const { clock, cache } = cacheAt(1000);
		const first = cache.token(request);
		clock.now = 1000 + 300 - TOKEN_RENEWAL_MARGIN_SECONDS; // exactly 60 s left
		expect(cache.token(request)).toBe(first);
		clock.now += 1; // 59 s left
		const second = cache.token(request);
		expect(second).not.toBe(first);
		expect(decodeJwt(second).payload).toMatchObject({ iat: clock.now, exp: clock.now + 300 });
		expect(cache.size).toBe(1);
	});

	it('signs a fresh token every time when the lifetime is within the renewal margin', () => {
		const { clock, cache } = cacheAt(1000);
		const first = cache.token({ ...request, lifetimeSeconds: 45 });
		clock.now += 1;
		expect(cache.token({ ...request, lifetimeSeconds: 45 })).not.toBe(first);
	});

	it('keys tokens by client id, user and audience, and notices a regenerated secret', () => {
		const { cache } = cacheAt(1000);
		const base = cache.token(request);
		expect(cache.token({ ...request, user: 'OTHER' })).not.toBe(base);
		expect(cache.token({ ...request, audience: 'https://app' })).not.toBe(base);
		expect(cache.token({ ...request, clientId: 'other-app' })).not.toBe(base);
		const rotated = cache.token({ ...request, clientSecret: 'new-secret' });
		expect(rotated).not.toBe(base);
		expect(() => jwt.verify(rotated, 'new-secret', { clockTimestamp: 1000 })).not.toThrow();
	});

	it('never holds the secret itself', () => {
		const { cache } = cacheAt(1000);
		cache.token(request);
		const dump =
			inspect(cache, { depth: 10, showHidden: true }) +
			JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries]);
		expect(dump).not.toContain(SECRET);
	});

	it('clamps lifetimes into 1..300 s', () => {
		expect(clampLifetime(undefined)).toBe(300);
		expect(clampLifetime(1000)).toBe(300);
		expect(clampLifetime(120.7)).toBe(120);
		expect(clampLifetime(0)).toBe(300);
		expect(clampLifetime(Number.NaN)).toBe(300);
	});
});

describe('SageX3ConnectedAppApi.authenticate', () => {
	afterEach(() => connectedAppTokens.clear());

	it('adds a bearer token X3 can verify and the x-xtrem-endpoint header, keeping other headers', async () => {
		const credential = new SageX3ConnectedAppApi();
		const options: IHttpRequestOptions = {
			url: 'http://x3.test/xtrem/api',
			method: 'POST',
			headers: { Accept: 'application/json' },
		};
		const authenticated = await credential.authenticate(
			{
				url: 'http://x3.test',
				endpoint: 'SEED',
				clientId: 'brex-sync',
				clientSecret: SECRET,
				user: 'ADMIN',
				audience: 'aud-1',
				jwtLifetimeSeconds: 200,
			},
			options,
		);
		const headers = authenticated.headers as Record<string, string>;
		expect(headers.Accept).toBe('application/json');
		expect(headers['x-xtrem-endpoint']).toBe('SEED');
		const token = headers.Authorization.replace(/^Bearer /, '');
		const payload = jwt.verify(token, SECRET, {
			audience: 'aud-1',
			issuer: 'brex-sync',
			subject: 'ADMIN',
		}) as jwt.JwtPayload;
		expect((payload.exp as number) - (payload.iat as number)).toBe(200);
		expect(options.headers).toEqual({ Accept: 'application/json' });
		expect(JSON.stringify(authenticated)).not.toContain(SECRET);
	});

	it('declares a test request and no secret-looking field without masking', () => {
		const credential = new SageX3ConnectedAppApi();
		expect(credential.test.request.url).toContain('/xtrem/api');
		const secretField = credential.properties.find((p) => p.name === 'clientSecret');
		expect(secretField?.typeOptions?.password).toBe(true);
	});
});
