// The console's deployed sign-in (config mode "cognito": react-oidc-context, authorization code + PKCE) against a local
// OpenID provider standing in for the Cognito Hosted UI: sign in, the queue with the API's data, tokens in memory only
// (a reload signs out), sign-out through /logout; renewal with the refresh token and a session that expires plainly; and
// what the provider and the console refuse (PKCE without S256, a wrong verifier, a code redeemed twice, a tampered state).
import type { Page, Request } from 'playwright-core';
import { startStack } from '../../infra/local/stack';
import { createComplaint } from '../support/api';
import { axeProblems, startConsoleHarness, type ConsoleHarness } from '../support/console';
import { pkceVerifier, s256, startOidcProvider, type OidcProvider, type OidcUser, type TokenRecord } from '../support/oidc-provider';

jest.setTimeout(300_000);

const CLIENT_ID = 'complaints-console-test';
const USER: OidcUser = { sub: 'olive.oidc', email: 'olive.oidc@example.com', groups: ['handler'] };

let provider: OidcProvider;
let h: ConsoleHarness;
let callback: string;
beforeAll(async () => {
  // The access token comes from the local token issuer: the API trusts that issuer only, as API Gateway trusts the pool.
  provider = await startOidcProvider({ user: USER, accessToken: (u) => h.api.token(u.sub, u.groups) });
  h = await startConsoleHarness({ cognito: { authority: provider.issuer, clientId: CLIENT_ID, hostedUiDomain: provider.issuer } });
  callback = `${h.base}/`;
  provider.registerClient({ clientId: CLIENT_ID, redirectUris: [callback], logoutUris: [callback] });
});
afterAll(async () => {
  await h?.close();
  await provider?.close();
});

/**
 * A signed-out page whose clock reads the local stack's (a deployed console reads the machine's time, which Cognito and
 * API Gateway share); it runs on from there, and the test moves it with page.clock.
 */
const cognitoPage = async (): Promise<Page> => {
  const page = await h.newPage();
  await page.clock.install({ time: Date.parse(await h.api.now()) });
  return page;
};

const signInButton = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });
const queueHeading = (page: Page) => page.getByRole('heading', { name: 'Work queue' });
const caseLink = (page: Page, reference: string) => page.getByRole('table', { name: 'Cases' }).getByRole('link', { name: reference, exact: true });
const isCaseList = (r: Request) => r.method() === 'GET' && new URL(r.url()).pathname === '/v1/complaints';
const isTokenCall = (grant: string) => (r: Request) => r.method() === 'POST' && r.url() === `${provider.issuer}/token` && new URLSearchParams(r.postData() ?? '').get('grant_type') === grant;

/** Clicks "Sign in" on the console's page and resolves with the token exchange the console made once it is back. */
const signIn = async (page: Page): Promise<TokenRecord> => {
  const before = provider.tokenRequests.length;
  await signInButton(page).click();
  await queueHeading(page).waitFor();
  const exchanges = provider.tokenRequests.slice(before);
  expect(exchanges.map((t) => [t.form.grant_type, t.status])).toEqual([['authorization_code', 200]]);
  return exchanges[0]!;
};

type StorageEntry = { area: string; key: string; value: string };
/** Every entry of the page's localStorage and sessionStorage (a string expression: the tests are typed without the DOM library). */
const webStorage = (page: Page): Promise<StorageEntry[]> =>
  page.evaluate<StorageEntry[]>(
    "[['localStorage', window.localStorage], ['sessionStorage', window.sessionStorage]].flatMap(([area, s]) => Object.keys(s).map((key) => ({ area, key, value: s.getItem(key) ?? '' })))",
  );

/** Storage entries that hold a token or oidc-client-ts state: none may exist once the console is back from the provider. */
const leaks = (entries: StorageEntry[], tokens: string[]): string[] =>
  entries
    .filter((e) => e.key.startsWith('oidc.') || ['access_token', 'id_token', 'refresh_token'].includes(e.key) || tokens.some((t) => e.key.includes(t) || e.value.includes(t)))
    .map((e) => `${e.area}:${e.key}`);

const tokensOf = (t: TokenRecord): string[] => (t.issued ? [t.issued.accessToken, t.issued.idToken, ...(t.issued.refreshToken ? [t.issued.refreshToken] : [])] : []);

const redeem = async (fields: Record<string, string>): Promise<{ status: number; body: { error?: string; access_token?: string; refresh_token?: string } }> => {
  const res = await fetch(`${provider.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as { error?: string } };
};

const openCaseFor = async (sub: string) => createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId: sub });

it('signs in through the provider with code + PKCE (S256), shows the queue with the API data, keeps tokens in memory only, signs out through /logout', async () => {
  const mine = await openCaseFor(USER.sub);
  const page = await cognitoPage();
  await page.goto(callback);
  await page.getByText('Sign in with your organisation account.').waitFor();

  const listed = page.waitForRequest(isCaseList);
  const exchange = await signIn(page);
  await caseLink(page, mine.reference).waitFor();

  // The authorization request asked for S256 with the challenge of the verifier the token request then proved.
  const authorization = provider.authorizations.find((a) => a.code === exchange.form.code)!;
  expect(authorization.params.code_challenge_method).toBe('S256');
  expect(authorization.params.response_type).toBe('code');
  expect(authorization.params.redirect_uri).toBe(callback);
  expect(exchange.form.code_verifier?.length).toBeGreaterThanOrEqual(43);
  expect(s256(exchange.form.code_verifier!)).toBe(authorization.params.code_challenge);
  expect(exchange.form.redirect_uri).toBe(callback);
  expect(exchange.form.client_id).toBe(CLIENT_ID);
  // The API was called with the access token the provider handed out, and the user is who the token says.
  expect((await (await listed).allHeaders()).authorization).toBe(`Bearer ${exchange.issued!.accessToken}`);
  await page.getByRole('button', { name: USER.email }).waitFor();
  // The callback's code and state are gone from the address bar.
  expect(new URL(page.url()).search).toBe('');

  // Tokens live in memory: nothing of them, and no oidc-client-ts user or sign-in state, in either web storage.
  expect(leaks(await webStorage(page), tokensOf(exchange))).toEqual([]);

  // Accessibility of the signed-in queue in deployed mode.
  expect(await axeProblems(page)).toEqual([]);

  // The code the console redeemed cannot be redeemed again, not even with its verifier.
  const replay = await redeem({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: exchange.form.code!, redirect_uri: callback, code_verifier: exchange.form.code_verifier! });
  expect(replay).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });

  // A reload signs the user out (nothing in storage to restore from) and does not go to the provider by itself.
  const authorizationsBefore = provider.authorizations.length;
  await page.reload();
  await signInButton(page).waitFor();
  expect(await queueHeading(page).count()).toBe(0);
  expect(provider.authorizations.length).toBe(authorizationsBefore);

  // Signing in again is one click (the provider remembers the user); signing out ends the Hosted UI session too.
  const again = await signIn(page);
  expect(again.issued!.accessToken).not.toBe(exchange.issued!.accessToken);
  await page.getByRole('button', { name: USER.email }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await signInButton(page).waitFor();
  expect(provider.logouts.at(-1)).toEqual({ params: { client_id: CLIENT_ID, logout_uri: callback }, status: 302 });
  expect(leaks(await webStorage(page), [...tokensOf(exchange), ...tokensOf(again)])).toEqual([]);
});

it("the console's CSP lets scripts connect to the provider's origin exactly; anything but an exact origin is refused", async () => {
  const res = await fetch(callback);
  const connectSrc = (res.headers.get('content-security-policy') ?? '').split('; ').find((d) => d.startsWith('connect-src '))?.split(' ').slice(1);
  expect(connectSrc).toEqual(["'self'", h.api.s3.endpoint, provider.issuer]);
  for (const bad of ['http://*.example.com', `${provider.issuer}/`, `${provider.issuer}/authorize`, '*', 'ftp://127.0.0.1:21']) {
    // Refused before anything starts (no DynamoDB, no ports).
    await expect(startStack({ console: { config: { mode: 'local' }, connectSrc: [bad] } })).rejects.toThrow(`console connectSrc: ${bad} is not an exact http(s) origin`);
  }
});

it('the provider refuses authorization without S256 PKCE or with an unregistered callback, a wrong code_verifier, and a code redeemed twice', async () => {
  const verifier = pkceVerifier();
  const authorize = async (over: Record<string, string | undefined>) => {
    const url = new URL('/authorize', provider.issuer);
    const params: Record<string, string | undefined> = { client_id: CLIENT_ID, redirect_uri: callback, response_type: 'code', scope: 'openid email', state: 'st-1', nonce: 'n-1', code_challenge: s256(verifier), code_challenge_method: 'S256', ...over };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    return { status: res.status, to: location ? new URL(location) : undefined };
  };
  const backTo = (to: URL | undefined) => (to ? { at: `${to.origin}${to.pathname}`, error: to.searchParams.get('error'), state: to.searchParams.get('state'), code: to.searchParams.get('code') } : undefined);

  // No PKCE, or PKCE "plain": an error back to the (registered) callback with the state, and no code.
  for (const over of [{ code_challenge: undefined, code_challenge_method: undefined }, { code_challenge_method: undefined }, { code_challenge: verifier, code_challenge_method: 'plain' }]) {
    const res = await authorize(over);
    expect([res.status, backTo(res.to)]).toEqual([302, { at: callback, error: 'invalid_request', state: 'st-1', code: null }]);
  }
  // A callback URL that is not registered exactly (another path, another origin) or an unknown client: no redirect at all.
  for (const over of [{ redirect_uri: `${h.base}/queue` }, { redirect_uri: 'http://127.0.0.1:1/console/' }, { client_id: 'someone-else' }]) {
    expect(await authorize(over)).toEqual({ status: 400, to: undefined });
  }

  const codeOf = async () => {
    const res = await authorize({});
    expect(backTo(res.to)).toMatchObject({ at: callback, error: null, state: 'st-1' });
    return res.to!.searchParams.get('code')!;
  };
  const exchange = (code: string, over: Record<string, string> = {}) => redeem({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: callback, code_verifier: verifier, ...over });

  // A wrong verifier is refused, and spends the code: the right one afterwards gets nothing either.
  const guessed = await codeOf();
  expect(await exchange(guessed, { code_verifier: pkceVerifier() })).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  expect(await exchange(guessed)).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  // A code is bound to its callback URL and its client.
  expect(await exchange(await codeOf(), { redirect_uri: `${h.base}/queue` })).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  // Without a verifier: refused.
  expect(await redeem({ grant_type: 'authorization_code', client_id: CLIENT_ID, code: await codeOf(), redirect_uri: callback })).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });

  // The right verifier once: tokens, and an access token the API accepts. Twice: refused.
  const code = await codeOf();
  const first = await exchange(code);
  expect(first.status).toBe(200);
  const { response } = await h.api.client(first.body.access_token).GET('/v1/complaints', { params: { query: { owner: 'me', limit: 1 } } });
  expect(response.status).toBe(200);
  expect(await exchange(code)).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
});

it('a callback whose state was tampered with signs nobody in: the console shows an error and never redeems the code', async () => {
  const page = await cognitoPage();
  // The provider's answer, with the state changed on its way back (as a forged callback link would carry).
  let handedOut: string | undefined;
  await page.route((url) => url.origin === provider.issuer && url.pathname === '/authorize', async (route) => {
    const res = await route.fetch({ maxRedirects: 0 });
    const to = new URL(res.headers().location!);
    handedOut = to.searchParams.get('code') ?? undefined;
    to.searchParams.set('state', `${to.searchParams.get('state')}x`);
    await route.fulfill({ status: 302, headers: { location: to.toString() } });
  });
  await page.goto(callback);
  const tokenRequests = provider.tokenRequests.length;
  await signInButton(page).click();
  await page.getByText('Sign-in did not complete (').waitFor();
  expect(handedOut).toBeDefined();
  expect(provider.tokenRequests.length).toBe(tokenRequests);
  expect(provider.tokenRequests.some((t) => t.form.code === handedOut)).toBe(false);
  expect(await queueHeading(page).count()).toBe(0);
  // The forged code and state are not left in the address bar for a reload to present again.
  expect(new URL(page.url()).search).toBe('');
  expect(leaks(await webStorage(page), []).filter((l) => l.startsWith('localStorage:'))).toEqual([]);
});

it('renews the access token with the refresh token before it expires, retries a 401 with a renewed one, and ends an unrenewable session plainly', async () => {
  const mine = await openCaseFor(USER.sub);
  const page = await cognitoPage();
  await page.goto(callback);
  const signedIn = await signIn(page);
  await caseLink(page, mine.reference).waitFor();

  const refused: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 401) refused.push(r.url());
  });

  // A minute before the hour is up (the browser's clock and the stack's move together), the console renews on its own.
  await h.api.advanceClock('PT59M10S');
  const renewed = page.waitForResponse((r) => isTokenCall('refresh_token')(r.request()));
  await page.clock.fastForward('59:10');
  expect((await renewed).status()).toBe(200);
  const refresh = provider.tokenRequests.at(-1)!;
  expect(refresh.form.refresh_token).toBe(signedIn.issued!.refreshToken);
  // Past the first token's expiry: the queue is read with the renewed token, and nothing was refused on the way.
  await h.api.advanceClock('PT5M');
  await page.clock.fastForward('05:00');
  const listed = page.waitForRequest(isCaseList);
  await page.getByRole('button', { name: 'Refresh' }).click();
  expect((await (await listed).allHeaders()).authorization).toBe(`Bearer ${refresh.issued!.accessToken}`);
  await caseLink(page, mine.reference).waitFor();
  expect(refused).toEqual([]);

  // The stack's clock alone moves two hours (a device that slept: no timer ran): the API answers 401, the console
  // renews with the refresh token and retries, and the user sees the queue.
  await h.api.advanceClock('PT2H');
  const retried = page.waitForResponse((r) => isCaseList(r.request()) && r.status() === 200);
  const renewedOn401 = page.waitForResponse((r) => isTokenCall('refresh_token')(r.request()) && r.status() === 200);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await renewedOn401;
  expect((await (await retried).request().allHeaders()).authorization).toBe(`Bearer ${provider.tokenRequests.at(-1)!.issued!.accessToken}`);
  await caseLink(page, mine.reference).waitFor();
  expect(refused.length).toBeGreaterThan(0);

  // Thirteen hours on, the refresh token (12 h) is spent too: the console says the session expired and shows sign-in.
  await h.api.advanceClock('PT13H');
  const refusedRefresh = page.waitForResponse((r) => isTokenCall('refresh_token')(r.request()) && r.status() === 400);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await refusedRefresh;
  await page.getByText('Your session has expired. Sign in again.', { exact: true }).waitFor();
  await signInButton(page).waitFor();
  expect(await queueHeading(page).count()).toBe(0);
});
