// Case-level access rules (route-level roles live in the route table): visibility and ownership.
import type { Case } from '#schemas/complaint';
import { ForbiddenError, NotFoundError } from './errors';
import { hasRole, type Principal } from './principal';

/** Who may see a restricted case besides its owner. */
const RESTRICTED_READERS = ['supervisor', 'compliance', 'legal', 'admin'] as const;
const READERS = ['handler', ...RESTRICTED_READERS] as const;

export const canView = (p: Principal, c: Pick<Case, 'ownerId' | 'sensitivity'>): boolean => {
  if (c.ownerId === p.sub) return true;
  if (c.sensitivity === 'restricted') return hasRole(p, ...RESTRICTED_READERS);
  return hasRole(p, ...READERS);
};

/** A case the caller may not see does not exist for them (404, never 403). */
export const assertVisible = (p: Principal, c: Pick<Case, 'id' | 'ownerId' | 'sensitivity'>): void => {
  if (!canView(p, c)) throw new NotFoundError(`complaint ${c.id} not found`);
};

export type CaseActorRule = 'owner' | 'owner_or_supervisor' | 'owner_supervisor_compliance_legal' | 'supervisor_or_admin';

/** Besides the owner, who may act under each rule (the route table and OpenAPI state the same rule). */
export const RULE_ROLES: Readonly<Record<CaseActorRule, readonly Principal['roles'][number][]>> = {
  owner: [],
  owner_or_supervisor: ['supervisor'],
  owner_supervisor_compliance_legal: ['supervisor', 'compliance', 'legal'],
  /** Reassigning the owner (API.md: supervisor, admin); the route admits no other role. */
  supervisor_or_admin: ['supervisor', 'admin'],
};

export const assertMayAct = (p: Principal, c: Pick<Case, 'id' | 'ownerId' | 'sensitivity'>, rule: CaseActorRule): void => {
  assertVisible(p, c);
  if (c.ownerId === p.sub) return;
  if (hasRole(p, ...RULE_ROLES[rule])) return;
  throw new ForbiddenError(rule === 'owner' ? 'only the case owner may do this' : `only the case owner or a ${RULE_ROLES[rule].join('/')} may do this`);
};
