// The one way a case changes: load, authorise, apply a pure change, and persist the case (version + 1), its
// audit events and any children in one conditional transaction; lost races are retried on fresh state.
import { isDeepStrictEqual } from 'node:util';
import type { Case } from '#schemas/complaint';
import type { CaseChild, CaseRecord, CaseRepository } from '#ports/case-repository';
import type { Clock } from '#ports/clock';
import { assertMayAct, assertVisible, type CaseActorRule } from './access';
import { appendEvents } from './audit-chain';
import { ConflictError, NotFoundError, StaleVersionError } from './errors';
import { BOOKKEEPING_FIELDS, present, type Change } from './lifecycle';
import type { Principal } from './principal';

export interface MutationDeps {
  repo: CaseRepository;
  clock: Clock;
}

/** Without If-Match the caller asked for no precondition, so a lost race is retried on fresh state. */
const MAX_ATTEMPTS = 3;
/** System work (a verifier, a timer) races only with people; it retries a little longer. */
const MAX_SYSTEM_ATTEMPTS = 5;

/** Who may apply the change: a case-actor rule, or `visible` (anyone who may see the case, e.g. an audited read). */
export type MutationRule = CaseActorRule | 'visible';

/** The case without its bookkeeping fields: what a bookkeeping change must leave exactly as it found it. */
const withoutBookkeeping = (c: Case): Partial<Case> => {
  const rest: Partial<Case> = { ...c };
  for (const f of BOOKKEEPING_FIELDS) delete rest[f];
  delete rest.risk;
  return rest;
};

/**
 * Writes `change` with its audit events and children (StaleVersionError if another writer won): a case change as the
 * next version of `rec`; a bookkeeping change at the same version (its events still extend the chain).
 */
const commitChange = async <T>(deps: MutationDeps, rec: CaseRecord, change: Change<T>, children: (result: T) => CaseChild[], now: string): Promise<{ case: Case; result: T }> => {
  if (change.bookkeeping && !isDeepStrictEqual(withoutBookkeeping(change.case), withoutBookkeeping(rec.case))) {
    // A programming error, never client input: bookkeeping that changed the case would hide a change from ETag holders.
    throw new Error(`a bookkeeping change of complaint ${rec.case.id} altered the case beyond ${BOOKKEEPING_FIELDS.join(', ')}`);
  }
  const next: Case = change.bookkeeping ? present({ ...change.case, version: rec.case.version, updatedAt: rec.case.updatedAt }, now) : present({ ...change.case, version: rec.case.version + 1, updatedAt: now }, now);
  const { events, head } = appendEvents(rec.head, change.drafts, now);
  await deps.repo.commit({ case: next, expectedVersion: rec.case.version, head, events, children: children(change.result) });
  return { case: next, result: change.result };
};

export const mutateCase = async <T>(
  deps: MutationDeps,
  p: Principal,
  id: string,
  ifMatch: number | undefined,
  rule: MutationRule,
  apply: (c: Case, now: string) => Change<T> | Promise<Change<T>>,
  children: (result: T) => CaseChild[] = () => [],
): Promise<{ case: Case; result: T }> => {
  for (let attempt = 1; ; attempt++) {
    const rec = await deps.repo.get(id);
    if (!rec) throw new NotFoundError(`complaint ${id} not found`);
    if (rule === 'visible') assertVisible(p, rec.case);
    else assertMayAct(p, rec.case, rule);
    if (ifMatch !== undefined && ifMatch !== rec.case.version) {
      throw new StaleVersionError(`If-Match version ${ifMatch} is stale; the complaint is at version ${rec.case.version}`);
    }
    const now = deps.clock.now();
    const change = await apply(rec.case, now);
    try {
      return await commitChange(deps, rec, change, children, now);
    } catch (err) {
      // Retried on fresh state: with If-Match the loop's check answers 412 if the version moved, and goes on when only
      // bookkeeping (an audit-only event) took the chain's next seq meanwhile.
      if (err instanceof StaleVersionError && attempt < MAX_ATTEMPTS) continue;
      // No precondition was sent, so this is a conflict to retry (409), not a stale If-Match (412).
      if (err instanceof StaleVersionError && ifMatch === undefined) throw new ConflictError('the complaint is being changed by others at the same moment; retry', { retryable: true });
      if (err instanceof StaleVersionError) throw new StaleVersionError(`the complaint changed while this request was applied (was version ${rec.case.version})`);
      throw err;
    }
  }
};

export type SystemMutation<T> = { kind: 'committed'; case: Case; result: T } | { kind: 'unchanged'; case: Case } | { kind: 'missing' };

/**
 * A change made by the system, not a person (a timer, a verifier): `decide` sees the fresh case each attempt and
 * returns the change, or undefined when there is nothing to do (a duplicate delivery): then nothing is written.
 */
export const systemMutate = async <T>(
  deps: MutationDeps,
  id: string,
  decide: (c: Case, now: string) => Promise<Change<T> | undefined> | Change<T> | undefined,
  children: (result: T) => CaseChild[] = () => [],
): Promise<SystemMutation<T>> => {
  for (let attempt = 1; ; attempt++) {
    const rec = await deps.repo.get(id);
    if (!rec) return { kind: 'missing' };
    const now = deps.clock.now();
    const change = await decide(rec.case, now);
    if (!change) return { kind: 'unchanged', case: rec.case };
    try {
      return { kind: 'committed', ...(await commitChange(deps, rec, change, children, now)) };
    } catch (err) {
      if (err instanceof StaleVersionError && attempt < MAX_SYSTEM_ATTEMPTS) continue;
      throw err;
    }
  }
};
