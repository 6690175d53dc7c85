// JWT claims (as API Gateway HTTP API passes them) to a Principal: the only place claims are read.
import { ROLES, type Role } from '#schemas/common';
import type { Principal } from '#domain/principal';

export type Claims = Record<string, string | number | boolean | string[] | undefined>;

/**
 * HTTP API flattens array claims to strings such as "[handler supervisor]"; tokens seen by other
 * callers may carry a real array or a JSON array string. All three forms mean the same groups.
 */
export const parseGroups = (raw: Claims[string]): string[] => {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  const text = raw.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // the API Gateway form: "[a b]" or "[a,b]"
    }
    return text.slice(1, -1).split(/[\s,]+/).filter(Boolean);
  }
  return text.split(/[\s,]+/).filter(Boolean);
};

export const principalFromClaims = (claims: Claims | undefined): Principal | undefined => {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const scopes = typeof claims?.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
  return { sub, roles: [...new Set(roles)], scopes };
};

/** The string form API Gateway produces for an array claim; the local server uses it so local runs parse what AWS sends. */
export const flattenArrayClaim = (values: readonly string[]): string => `[${values.join(' ')}]`;
