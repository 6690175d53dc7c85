// Who is signed in: user, roles and bearer token, from the local token issuer or Cognito (auth code + PKCE); tokens in memory only.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuthProvider, useAuth } from 'react-oidc-context';
import { InMemoryWebStorage, WebStorageStateStore } from 'oidc-client-ts';
import { apiBaseUrl, type CognitoConfig, type ConsoleConfig, type LocalConfig } from './config';

export const ROLES = ['intake', 'handler', 'supervisor', 'compliance', 'legal', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  /** The token's `sub`: what the API compares with a case's ownerId. */
  id: string;
  name?: string;
}

export interface Session {
  mode: ConsoleConfig['mode'];
  config: ConsoleConfig;
  apiUrl: string;
  user?: SessionUser;
  roles: readonly Role[];
  token?: string;
  /** Whether the user holds any of these roles (the server stays the authority; this only hides what would be refused). */
  hasRole: (...roles: Role[]) => boolean;
  /** Local mode: a token for this user and roles from POST /local/token. Cognito: the Hosted UI. */
  signIn: (user?: { id: string; roles: Role[] }) => Promise<void>;
  signOut: () => Promise<void>;
  /**
   * A fresh token for the same user, asked for on a 401 (the request is then retried once). Local mode: from the local
   * issuer (the local clock can jump days ahead and expire a token at once). Cognito: from the token endpoint with the
   * refresh token, held in memory like the others; when that fails the session ends with SESSION_EXPIRED.
   */
  renew?: () => Promise<string | undefined>;
  /** Set while the identity provider is being asked (Cognito redirect in progress). */
  loading: boolean;
  error?: string;
}

const SessionContext = createContext<Session | undefined>(undefined);

export const useSession = (): Session => {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession() outside <SessionProvider>');
  return s;
};

const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);

/** The claims of a JWT, read without verifying it: the API verifies; the console only needs the groups to shape its screens. */
export const jwtClaims = (token: string): Record<string, unknown> => {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const claims: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** `cognito:groups` as an array (as Cognito issues it) or API Gateway's flattened "[a b]" string. */
export const rolesOf = (claims: Record<string, unknown>): Role[] => {
  const groups = claims['cognito:groups'];
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/) : [];
  return list.filter(isRole);
};

const makeHasRole =
  (roles: readonly Role[]) =>
  (...wanted: Role[]) =>
    wanted.some((r) => roles.includes(r));

const LocalSession = ({ config, children }: { config: LocalConfig; children: ReactNode }) => {
  const apiUrl = apiBaseUrl(config);
  // Held in React state only: a reload signs the user out, which is the point of keeping tokens out of storage.
  const [state, setState] = useState<{ user?: SessionUser; roles: Role[]; token?: string; error?: string; loading: boolean }>({ roles: [], loading: false });
  const issue = useCallback(
    async (who: { id: string; roles: readonly Role[] }): Promise<string> => {
      const res = await fetch(`${apiUrl}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: who.id, groups: who.roles }) });
      const body = (await res.json()) as { token?: string; detail?: string };
      if (!res.ok || !body.token) throw new Error(body.detail ?? `the local token issuer answered ${res.status}`);
      return body.token;
    },
    [apiUrl],
  );
  const signIn = useCallback(
    async (who?: { id: string; roles: Role[] }) => {
      if (!who) throw new Error('local sign-in needs a user and roles');
      setState((s) => ({ ...s, loading: true }));
      try {
        setState({ user: { id: who.id }, roles: who.roles, token: await issue(who), loading: false });
      } catch (err) {
        setState({ roles: [], loading: false, error: (err as Error).message });
      }
    },
    [issue],
  );
  const renew = useCallback(async () => {
    const { user, roles } = state;
    if (!user) return undefined;
    const token = await issue({ id: user.id, roles });
    setState((s) => (s.user?.id === user.id ? { ...s, token } : s));
    return token;
  }, [issue, state]);
  const signOut = useCallback(async () => setState({ roles: [], loading: false }), []);
  const value = useMemo<Session>(
    () => ({ mode: 'local', config, apiUrl, ...state, hasRole: makeHasRole(state.roles), signIn, signOut, renew }),
    [config, apiUrl, state, signIn, signOut, renew],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

/** What the sign-in page says when a session ended without the user signing out (its tokens ran out and renewal failed). */
export const SESSION_EXPIRED = 'Your session has expired. Sign in again.';

const CognitoSessionBridge = ({ config, children }: { config: CognitoConfig; children: ReactNode }) => {
  const auth = useAuth();
  const authRef = useRef(auth);
  authRef.current = auth;
  const apiUrl = apiBaseUrl(config);
  const token = auth.user?.access_token;
  const [expired, setExpired] = useState(false);
  // One renewal at a time: a screen's parallel requests that all met a 401 share it.
  const renewing = useRef<Promise<string | undefined> | undefined>(undefined);
  const renew = useCallback((): Promise<string | undefined> => {
    renewing.current ??= (async () => {
      const current = authRef.current;
      // The refresh-token grant (Cognito returns a refresh token with the code). Without one there is nothing to renew
      // with: oidc-client-ts would fall back to a hidden iframe, which Cognito does not serve and the CSP forbids.
      const user = current.user?.refresh_token ? await current.signinSilent() : null;
      if (user?.access_token) return user.access_token;
      await current.removeUser();
      setExpired(true);
      return undefined;
    })().finally(() => {
      renewing.current = undefined;
    });
    return renewing.current;
  }, []);
  // Renewal runs a minute before the access token expires (automaticSilentRenew). If the token runs out all the same
  // (renewal failed, or the device slept through it), one more try, then the sign-in page says the session expired.
  const { events } = auth;
  useEffect(() => {
    const onExpired = () => void renew();
    events.addAccessTokenExpired(onExpired);
    return () => events.removeAccessTokenExpired(onExpired);
  }, [events, renew]);
  // A callback that failed (e.g. its state matches no sign-in this tab started) leaves code and state in the address
  // bar, where a reload would present them again: drop them.
  const callbackFailed = auth.error?.source === 'signinCallback';
  useEffect(() => {
    if (callbackFailed) window.history.replaceState({}, document.title, window.location.pathname);
  }, [callbackFailed]);
  const error = expired ? SESSION_EXPIRED : auth.error ? (callbackFailed ? `Sign-in did not complete (${auth.error.message}). Sign in again.` : auth.error.message) : undefined;
  const value = useMemo<Session>(() => {
    const claims = token ? jwtClaims(token) : {};
    const roles = rolesOf(claims);
    const sub = typeof claims.sub === 'string' ? claims.sub : auth.user?.profile.sub;
    const name = auth.user?.profile.email ?? auth.user?.profile.preferred_username;
    return {
      mode: 'cognito',
      config,
      apiUrl,
      ...(token && sub ? { user: { id: sub, ...(name ? { name } : {}) }, token } : {}),
      roles,
      hasRole: makeHasRole(roles),
      loading: auth.isLoading,
      ...(error ? { error } : {}),
      signIn: () => auth.signinRedirect(),
      signOut: async () => {
        await auth.removeUser();
        if (config.hostedUiDomain) {
          const logout = new URL('/logout', config.hostedUiDomain);
          logout.searchParams.set('client_id', config.clientId);
          logout.searchParams.set('logout_uri', config.redirectUri ?? `${window.location.origin}${import.meta.env.BASE_URL}`);
          window.location.assign(logout.toString());
        }
      },
      renew,
    };
  }, [auth, token, config, apiUrl, error, renew]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

const CognitoSession = ({ config, children }: { config: CognitoConfig; children: ReactNode }) => {
  const redirectUri = config.redirectUri ?? `${window.location.origin}${import.meta.env.BASE_URL}`;
  // oidc-client-ts keeps the user (tokens) in sessionStorage by default: an in-memory store keeps them out of web storage,
  // so a reload signs the user out.
  const userStore = useMemo(() => new WebStorageStateStore({ store: new InMemoryWebStorage() }), []);
  // The sign-in request's state (PKCE verifier, nonce) must outlive the redirect to the Hosted UI and back. By default it
  // sits in localStorage, shared by every tab and kept after the browser closes if a sign-in is abandoned; sessionStorage
  // keeps it to this tab, and the callback removes it.
  const stateStore = useMemo(() => new WebStorageStateStore({ store: window.sessionStorage }), []);
  return (
    <AuthProvider
      authority={config.authority}
      client_id={config.clientId}
      redirect_uri={redirectUri}
      response_type="code"
      scope={config.scope ?? 'openid email profile'}
      userStore={userStore}
      stateStore={stateStore}
      // Renewed with the refresh token (in memory) a minute before the access token expires: Cognito's last an hour.
      automaticSilentRenew
      onSigninCallback={() => window.history.replaceState({}, document.title, window.location.pathname)}
    >
      <CognitoSessionBridge config={config}>{children}</CognitoSessionBridge>
    </AuthProvider>
  );
};

export const SessionProvider = ({ config, children }: { config: ConsoleConfig; children: ReactNode }) =>
  config.mode === 'local' ? <LocalSession config={config}>{children}</LocalSession> : <CognitoSession config={config}>{children}</CognitoSession>;
