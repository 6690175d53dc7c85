// Who is calling: the user id and roles derived from verified JWT claims.
import type { Role } from '#schemas/common';

export interface Principal {
  sub: string;
  roles: readonly Role[];
  scopes: readonly string[];
}

export const hasRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));
