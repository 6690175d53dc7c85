// The console's runtime configuration: /console/config.json, served by `npm start` (local mode) or written by the deploy (Cognito).

export interface LocalConfig {
  mode: 'local';
  /** Where the API is; default: the console's own origin (npm start serves both). */
  apiUrl?: string;
}

export interface CognitoConfig {
  mode: 'cognito';
  apiUrl: string;
  /** The user pool's issuer, https://cognito-idp.<region>.amazonaws.com/<poolId> (OIDC discovery lives under it). */
  authority: string;
  clientId: string;
  /** Default: <origin>/console/ (the callback URL the app client registers). */
  redirectUri?: string;
  /** The Hosted UI domain, https://<prefix>.auth.<region>.amazoncognito.com: Cognito's logout endpoint lives there. */
  hostedUiDomain?: string;
  /** Default: "openid email profile". */
  scope?: string;
}

export type ConsoleConfig = LocalConfig | CognitoConfig;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/** Reads the config document; anything that is not one of the two shapes is refused with a message the page shows. */
export const parseConfig = (raw: unknown): ConsoleConfig => {
  if (!isRecord(raw)) throw new Error('config.json is not a JSON object');
  if (raw.mode === 'local') {
    if (!optionalString(raw.apiUrl)) throw new Error('config.json: apiUrl must be a string');
    return { mode: 'local', ...(raw.apiUrl ? { apiUrl: raw.apiUrl } : {}) };
  }
  if (raw.mode === 'cognito') {
    const { apiUrl, authority, clientId, redirectUri, hostedUiDomain, scope } = raw;
    if (typeof apiUrl !== 'string' || typeof authority !== 'string' || typeof clientId !== 'string') throw new Error('config.json: cognito mode needs apiUrl, authority and clientId');
    if (!optionalString(redirectUri) || !optionalString(hostedUiDomain) || !optionalString(scope)) throw new Error('config.json: redirectUri, hostedUiDomain and scope must be strings');
    return { mode: 'cognito', apiUrl, authority, clientId, ...(redirectUri ? { redirectUri } : {}), ...(hostedUiDomain ? { hostedUiDomain } : {}), ...(scope ? { scope } : {}) };
  }
  throw new Error('config.json: mode must be "local" or "cognito"');
};

export const loadConfig = async (): Promise<ConsoleConfig> => {
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json answered ${res.status}`);
  return parseConfig(await res.json());
};

/** The API origin: the configured one, else this page's origin (local mode behind `npm start` or the dev proxy). */
export const apiBaseUrl = (config: ConsoleConfig): string => (config.apiUrl ?? window.location.origin).replace(/\/+$/, '');
