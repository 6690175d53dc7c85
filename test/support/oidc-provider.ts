// A local OpenID Connect provider for the console's deployed sign-in (what the Cognito Hosted UI does): discovery, JWKS,
// authorization code + PKCE (S256 only), refresh, and Cognito's /logout. It signs in one preset user without a form.
// Times come from the local clock, as every local stand-in's do; tests read what it recorded, never sleep on it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { Role } from '#schemas/common';
import { clockNowMs } from './clock';

export interface OidcUser {
  sub: string;
  email: string;
  groups: Role[];
}

/** A registered public client (no secret: PKCE protects the code exchange), as the Cognito app client of the console. */
export interface OidcClient {
  clientId: string;
  /** Exact callback URLs (no prefix or pattern matching, as Cognito compares them). */
  redirectUris: string[];
  /** Exact sign-out URLs Cognito's /logout may return to. */
  logoutUris: string[];
}

/** One request to /authorize, as it arrived (every query parameter), and what it answered. */
export interface AuthorizeRecord {
  params: Record<string, string>;
  status: number;
  /** The code handed out (absent when the request was refused). */
  code?: string;
  error?: string;
}

/** One request to /token: its form fields and what it answered. */
export interface TokenRecord {
  form: Record<string, string>;
  status: number;
  error?: string;
  /** The tokens handed out (absent when refused). */
  issued?: { accessToken: string; idToken: string; refreshToken?: string };
}

export interface LogoutRecord {
  params: Record<string, string>;
  status: number;
}

export interface OidcProviderOptions {
  /** The user every authorization signs in (the provider has no login form). */
  user: OidcUser;
  /**
   * Signs the access token for the user: the local API verifies access tokens of the local token issuer only (as API
   * Gateway's JWT authorizer trusts only the user pool), so the test passes that issuer here.
   */
  accessToken: (user: OidcUser) => Promise<string>;
  /** Default: the local clock (test/support/clock). */
  nowMs?: () => number;
  /** How long a code may wait for its exchange (default 300 s, Cognito's). */
  codeTtlSeconds?: number;
  /** How long a refresh token is good for (default 12 h, the console client's refreshTokenValidity). */
  refreshTokenTtlSeconds?: number;
  /** How long the ID token is good for (default 1 h). */
  idTokenTtlSeconds?: number;
}

export interface OidcProvider {
  /** http://127.0.0.1:<port>: the issuer, the authority the console is configured with, and the "Hosted UI domain". */
  issuer: string;
  /** Registers (or replaces) a client; its callback URLs' origins may call the token endpoint from a browser (CORS). */
  registerClient(client: OidcClient): void;
  readonly authorizations: readonly AuthorizeRecord[];
  readonly tokenRequests: readonly TokenRecord[];
  readonly logouts: readonly LogoutRecord[];
  close(): Promise<void>;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce?: string;
  scope: string;
  /** When the user signed in (the authorization request): the ID token's auth_time, the same on every refresh. */
  authTime: number;
  expiresAtMs: number;
  /** Set on the first redemption attempt, successful or not: a code is never redeemed twice, nor guessed at. */
  spent: boolean;
}

interface RefreshGrant {
  clientId: string;
  scope: string;
  authTime: number;
  expiresAtMs: number;
}

const b64url = (buf: Buffer): string => buf.toString('base64url');
/** RFC 7636: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** base64url of a SHA-256 digest: exactly 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Query or form fields as own properties (Object.fromEntries defines them: a field named __proto__ is just a key). */
const fieldsOf = (params: URLSearchParams): Record<string, string> => Object.fromEntries(new Map(params));

const readForm = (req: IncomingMessage, limit = 64 * 1024): Promise<URLSearchParams | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });

export const startOidcProvider = async (opts: OidcProviderOptions): Promise<OidcProvider> => {
  const now = opts.nowMs ?? (() => clockNowMs());
  const codeTtl = (opts.codeTtlSeconds ?? 300) * 1000;
  const refreshTtl = (opts.refreshTokenTtlSeconds ?? 12 * 3600) * 1000;
  const idTtl = opts.idTokenTtlSeconds ?? 3600;
  // Cognito signs with RS256.
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `test-${b64url(randomBytes(6))}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  const clients = new Map<string, OidcClient>();
  const codes = new Map<string, PendingCode>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const authorizations: AuthorizeRecord[] = [];
  const tokenRequests: TokenRecord[] = [];
  const logouts: LogoutRecord[] = [];
  let issuer = '';

  const allowedOrigins = (): Set<string> => new Set([...clients.values()].flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
  /** CORS for the console's origin only (the browser calls discovery, JWKS and the token endpoint with fetch). */
  const cors = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return origin && allowedOrigins().has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
  };
  const json = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { ...cors(req), 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' });
    res.end(JSON.stringify(body));
  };
  const plain = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };
  const redirect = (res: ServerResponse, location: string) => {
    res.writeHead(302, { location, 'cache-control': 'no-store' });
    res.end();
  };

  const idToken = (clientId: string, nonce: string | undefined, authTime: number, iat: number) =>
    new SignJWT({ email: opts.user.email, 'cognito:groups': opts.user.groups, token_use: 'id', auth_time: authTime, ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer)
      .setSubject(opts.user.sub)
      .setAudience(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + idTtl)
      .sign(privateKey);

  /** The token response: an ID token of this provider and an access token the local API accepts. */
  const tokens = async (clientId: string, nonce: string | undefined, authTime: number, refresh: boolean) => {
    const iat = Math.floor(now() / 1000);
    const accessToken = await opts.accessToken(opts.user);
    const exp = decodeJwt(accessToken).exp;
    const issued = { accessToken, idToken: await idToken(clientId, nonce, authTime, iat), ...(refresh ? { refreshToken: b64url(randomBytes(32)) } : {}) };
    return { issued, expiresIn: Math.max(0, (exp ?? iat) - iat) };
  };

  const authorize = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const params = fieldsOf(url.searchParams);
    const record: AuthorizeRecord = { params, status: 0 };
    authorizations.push(record);
    const client = clients.get(url.searchParams.get('client_id') ?? '');
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    // Without a known client and one of its exact callback URLs nothing is sent anywhere (an open redirector otherwise).
    if (!client || !client.redirectUris.includes(redirectUri)) {
      record.status = 400;
      record.error = client ? 'redirect_mismatch' : 'invalid_client';
      return plain(res, 400, client ? 'redirect_uri is not a registered callback URL of this client' : 'unknown client_id');
    }
    const state = url.searchParams.get('state');
    const back = (fields: Record<string, string>) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(fields)) to.searchParams.set(k, v);
      if (state !== null) to.searchParams.set('state', state);
      record.status = 302;
      redirect(res, to.toString());
    };
    const fail = (error: string, description: string) => {
      record.error = error;
      back({ error, error_description: description });
    };
    if (url.searchParams.get('response_type') !== 'code') return fail('unsupported_response_type', 'only the authorization code flow is offered');
    const challenge = url.searchParams.get('code_challenge');
    if (!challenge) return fail('invalid_request', 'code_challenge is required (PKCE)');
    if (url.searchParams.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!S256_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge is not a base64url SHA-256 digest');
    const scope = url.searchParams.get('scope') ?? '';
    if (!scope.split(' ').includes('openid')) return fail('invalid_scope', 'the openid scope is required');
    const code = b64url(randomBytes(32));
    const nonce = url.searchParams.get('nonce') ?? undefined;
    codes.set(code, { clientId: client.clientId, redirectUri, challenge, scope, authTime: Math.floor(now() / 1000), expiresAtMs: now() + codeTtl, spent: false, ...(nonce ? { nonce } : {}) });
    record.code = code;
    back({ code });
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const fields = form ? fieldsOf(form) : {};
    const record: TokenRecord = { form: fields, status: 0 };
    tokenRequests.push(record);
    const refuse = (status: number, error: string, description: string) => {
      record.status = status;
      record.error = error;
      json(req, res, status, { error, error_description: description });
    };
    if (!form) return refuse(400, 'invalid_request', 'the form is too large');
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return refuse(400, 'invalid_request', 'send application/x-www-form-urlencoded');
    // RFC 6749 §3.1: a parameter sent twice is refused, never resolved to one of its values.
    if (new Set(form.keys()).size !== [...form.keys()].length) return refuse(400, 'invalid_request', 'a parameter was sent more than once');
    const clientId = form.get('client_id') ?? '';
    if (!clients.has(clientId)) return refuse(401, 'invalid_client', 'unknown client_id');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const pending = codes.get(code);
      if (!pending) return refuse(400, 'invalid_grant', 'unknown code');
      const replay = pending.spent;
      // Spent before anything else is checked: a second attempt, right or wrong, never gets tokens for this code.
      pending.spent = true;
      if (replay) return refuse(400, 'invalid_grant', 'the code was already redeemed');
      if (pending.expiresAtMs <= now()) return refuse(400, 'invalid_grant', 'the code has expired');
      if (pending.clientId !== clientId) return refuse(400, 'invalid_grant', 'the code was issued to another client');
      if (pending.redirectUri !== (form.get('redirect_uri') ?? '')) return refuse(400, 'invalid_grant', 'redirect_uri differs from the authorization request');
      const verifier = form.get('code_verifier') ?? '';
      if (!VERIFIER.test(verifier)) return refuse(400, 'invalid_grant', 'code_verifier is missing or malformed');
      if (!sameText(b64url(createHash('sha256').update(verifier).digest()), pending.challenge)) return refuse(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
      const { issued, expiresIn } = await tokens(clientId, pending.nonce, pending.authTime, true);
      if (issued.refreshToken) refreshTokens.set(issued.refreshToken, { clientId, scope: pending.scope, authTime: pending.authTime, expiresAtMs: now() + refreshTtl });
      record.status = 200;
      record.issued = issued;
      return json(req, res, 200, { access_token: issued.accessToken, id_token: issued.idToken, refresh_token: issued.refreshToken, token_type: 'Bearer', expires_in: expiresIn });
    }
    if (grant === 'refresh_token') {
      const held = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!held || held.clientId !== clientId) return refuse(400, 'invalid_grant', 'unknown refresh token');
      if (held.expiresAtMs <= now()) return refuse(400, 'invalid_grant', 'the refresh token has expired');
      // As Cognito (without rotation): new access and ID tokens, the same refresh token; the sign-in time stays (OIDC
      // clients, oidc-client-ts among them, refuse a renewed ID token whose auth_time differs).
      const { issued, expiresIn } = await tokens(clientId, undefined, held.authTime, false);
      record.status = 200;
      record.issued = issued;
      return json(req, res, 200, { access_token: issued.accessToken, id_token: issued.idToken, token_type: 'Bearer', expires_in: expiresIn });
    }
    return refuse(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  };

  /** Cognito's sign-out: /logout?client_id=…&logout_uri=… (exactly a registered sign-out URL), then back there. */
  const logout = (res: ServerResponse, url: URL) => {
    const record: LogoutRecord = { params: fieldsOf(url.searchParams), status: 0 };
    logouts.push(record);
    const client = clients.get(url.searchParams.get('client_id') ?? '');
    const to = url.searchParams.get('logout_uri') ?? '';
    if (!client || !client.logoutUris.includes(to)) {
      record.status = 400;
      return plain(res, 400, 'unknown client_id or logout_uri');
    }
    record.status = 302;
    redirect(res, to);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const method = req.method ?? 'GET';
    void (async () => {
      if (method === 'OPTIONS') {
        res.writeHead(204, { ...cors(req), 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, accept', 'access-control-max-age': '600' });
        return void res.end();
      }
      if (method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(req, res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      }
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') return json(req, res, 200, { keys: [jwk] });
      if (method === 'GET' && url.pathname === '/authorize') return authorize(req, res, url);
      if (method === 'POST' && url.pathname === '/token') return token(req, res);
      if (method === 'GET' && url.pathname === '/logout') return logout(res, url);
      plain(res, 404, 'not found');
    })().catch((err: unknown) => {
      if (!res.headersSent) plain(res, 500, (err as Error).message);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    registerClient: (client) => void clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris], logoutUris: [...client.logoutUris] }),
    authorizations,
    tokenRequests,
    logouts,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
};

/** The S256 code challenge of a verifier (what the console sends to /authorize for the verifier it later sends to /token). */
export const s256 = (verifier: string): string => b64url(createHash('sha256').update(verifier).digest());

/** A fresh PKCE verifier (43 characters). */
export const pkceVerifier = (): string => b64url(randomBytes(32));
