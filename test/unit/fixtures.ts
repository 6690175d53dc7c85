// Pure fixtures for unit tests: a valid intake body, an open case built by the domain itself, principals.
import { openCase } from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import type { Principal } from '#domain/principal';
import type { Case, CreateComplaintBody } from '#schemas/complaint';
import type { Role } from '#schemas/common';
import type { Task } from '#schemas/children';

export const NOW = '2026-03-02T09:00:00.000Z';
export const DAY = 86_400_000;
export const CASE_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';
export const TASK_ID = '01JABCDEFGHJKMNPQRSTVWXYZ1';

export const at = (base: string, plusMs: number): string => new Date(Date.parse(base) + plusMs).toISOString();

export const intakeBody = (over: Partial<CreateComplaintBody> = {}): CreateComplaintBody => ({
  customer: { id: 'cust-1', name: 'Ada Lovelace' },
  channel: 'web',
  summary: 'Late delivery',
  description: 'The parcel arrived two weeks late.',
  product: 'home-delivery',
  category: 'service_delay',
  regime: 'UK_FCA_DISP',
  ...over,
});

/** An open case as intake creates it (owner alice, received at NOW). */
export const openedCase = (over: Partial<Case> = {}, body: Partial<CreateComplaintBody> = {}): Case => ({
  ...openCase(intakeBody({ receivedAt: NOW, ...body }), {
    id: CASE_ID,
    reference: 'CMP-2026-000001',
    ownerId: 'alice',
    assignmentRule: 'explicit',
    regime: getRegime('UK_FCA_DISP'),
    actor: 'web-form',
    now: NOW,
  }).case,
  ...over,
});

export const principal = (sub: string, ...roles: Role[]): Principal => ({ sub, roles, scopes: [] });

export const task = (over: Partial<Task> = {}): Task => ({
  id: TASK_ID,
  caseId: CASE_ID,
  title: 'Pull depot logs',
  team: 'operations',
  status: 'open',
  createdBy: 'alice',
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});
