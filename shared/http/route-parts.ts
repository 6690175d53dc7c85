// The route table's shared parts (role gates, case rules, the jwt helper): the roles and rules routes.ts and the
// per-route modules generated from it (shared/http/routes/) both name, kept apart so a route's module loads no other route.
import { RULE_ROLES } from '#domain/access';
import type { Role } from '#schemas/common';
import type { CaseRule, RouteAuth } from './routes';

export const ANY_USER: Role[] = ['intake', 'handler', 'supervisor', 'compliance', 'legal', 'admin'];
export const CASE_READERS: Role[] = ['handler', 'supervisor', 'compliance', 'legal', 'admin'];
/** Route-level gate for owner-only actions; the domain then checks who owns the case. */
export const CASE_ACTORS: Role[] = CASE_READERS;

export const REPORT_READERS: Role[] = ['supervisor', 'compliance', 'admin'];
/** Evidence and notes: the owner (through a case-reading role) or a supervisor, compliance or legal. */
export const EVIDENCE_WRITERS: Role[] = CASE_READERS;
export const LEGAL_HOLDERS: Role[] = ['legal', 'compliance'];
/** Who may export a case bundle and download it (API.md: compliance, legal). */
export const EXPORTERS: Role[] = ['compliance', 'legal'];
/** Who may ask to release a case outside the organisation, and who approves it (one of each approver role, never the requester). */
export const RELEASE_REQUESTERS: Role[] = ['supervisor', 'compliance', 'legal'];
export const RELEASE_APPROVERS: Role[] = ['legal', 'compliance'];
/** Who may decide approval stages (never on their own case or proposal: the domain checks four eyes). */
export const APPROVERS: Role[] = ['supervisor', 'compliance', 'legal', 'admin'];
/** Who is notified of an escalation at some level (ESCALATION_LADDER) and may acknowledge it. */
export const ESCALATION_MANAGERS: Role[] = ['supervisor', 'admin', 'compliance'];

/** Who runs problem management (#32): opening, linking, closing, suggestions, the effect of a fix. */
export const PROBLEM_MANAGERS: Role[] = ['supervisor', 'compliance', 'admin'];

export const jwt = (roles: Role[], scopes?: string[], caseRule?: CaseRule): RouteAuth => ({ kind: 'jwt', roles, ...(scopes ? { scopes } : {}), ...(caseRule ? { caseRule } : {}) });
/** The domain's case-actor rules (shared/domain/access.ts), as the route table states them. */
export const OWNER_ONLY: CaseRule = { ownerOr: RULE_ROLES.owner };
export const OWNER_OR_SUPERVISOR: CaseRule = { ownerOr: RULE_ROLES.owner_or_supervisor };
export const OWNER_OR_EVIDENCE_WRITER: CaseRule = { ownerOr: RULE_ROLES.owner_supervisor_compliance_legal };
/** Marking a case out of the KPIs (spam, duplicate) and reversing it: never by its owner (four eyes; honest-metrics.ts). */
export const NEVER_OWNER: CaseRule = { notOwner: true };

