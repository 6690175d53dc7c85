// Routing that knows who is there (issue 32 item 5): availability, capacity and skills in assignment, the internal
// service target next to the regulatory clock, and the supervisor flag when an owner's absence covers a deadline.
import type { Case } from '#schemas/complaint';
import type { AbsenceFlag, AvailabilityBody, StaffProfile } from '#schemas/staff';
import type { StaffDirectory } from '#ports/staff-directory';
import type { Clock } from '#ports/clock';
import type { CaseRepository } from '#ports/case-repository';
import { hasRole, type Principal } from './principal';
import { ForbiddenError, StaleVersionError } from './errors';
import { systemMutate } from './case-mutation';
import { own } from './own';
import type { AssignmentRules } from './assignment';

export interface RoutingFacts {
  category: string;
  regime: string;
}

/** Why a candidate was passed over (facts only: they go into the audit trail). */
export type SkipReason = 'out_of_office' | 'at_capacity' | 'no_skill';

export const isAway = (p: StaffProfile | undefined, at: string): boolean =>
  Boolean(p?.outOfOffice.some((a) => Date.parse(a.from) <= Date.parse(at) && Date.parse(at) < Date.parse(a.to)));

/** Away at any moment of [from, to): the person cannot cover a deadline inside that window. */
const awayDuring = (p: StaffProfile | undefined, from: string, to: string): boolean =>
  Boolean(p?.outOfOffice.some((a) => Date.parse(a.from) < Date.parse(to) && Date.parse(from) < Date.parse(a.to)));

export const hasSkills = (p: StaffProfile | undefined, f: RoutingFacts): boolean =>
  !p?.skills || ((!p.skills.categories || p.skills.categories.includes(f.category as never)) && (!p.skills.regimes || p.skills.regimes.includes(f.regime)));

export interface Choice {
  ownerId: string;
  skipped: { staffId: string; why: SkipReason }[];
  /** Nobody fitted: the round-robin pick keeps the case (never ownerless) and the audit says so. */
  fallback: boolean;
}

/**
 * From the team's members in round-robin order (the pick first), the first who is not away now, has the skills and is
 * under their capacity; nobody fits → the round-robin pick, marked fallback. People without a profile are available
 * generalists without a cap.
 */
export const chooseOwner = async (
  ordered: readonly string[],
  profiles: ReadonlyMap<string, StaffProfile>,
  facts: RoutingFacts,
  now: string,
  load: (staffId: string, cap: number) => Promise<number>,
): Promise<Choice> => {
  const skipped: Choice['skipped'] = [];
  for (const id of ordered) {
    const p = profiles.get(id);
    if (isAway(p, now)) skipped.push({ staffId: id, why: 'out_of_office' });
    else if (!hasSkills(p, facts)) skipped.push({ staffId: id, why: 'no_skill' });
    else if (p?.capacity !== undefined && (await load(id, p.capacity)) >= p.capacity) skipped.push({ staffId: id, why: 'at_capacity' });
    else return { ownerId: id, skipped, fallback: false };
  }
  return { ownerId: ordered[0]!, skipped, fallback: true };
};

/** The members of a team in round-robin order starting at the n-th pick (1-based). */
export const rotation = (members: readonly string[], n: number): string[] => {
  const start = (n - 1) % members.length;
  return [...members.slice(start), ...members.slice(0, start)];
};

// ---------- the internal service target ----------

export const CUSTOMER_TIERS = ['standard', 'priority', 'premier'] as const;

/**
 * The internal target set by customer tier and impact (severity): hours from receipt, from the configured table; the
 * regulatory deadline wins when it is sooner. Undefined when no target is configured for the pair.
 */
export const serviceTarget = (
  rules: AssignmentRules,
  c: Pick<Case, 'receivedAt' | 'finalResponseDueAt' | 'severity'> & { customer: { tier?: string | undefined } },
): Case['serviceTarget'] => {
  const tier = c.customer.tier ?? 'standard';
  const row = own(rules.serviceTargets ?? {}, tier);
  const hours = row ? own(row, c.severity) : undefined;
  if (hours === undefined) return undefined;
  const internal = new Date(Date.parse(c.receivedAt) + hours * 3_600_000).toISOString();
  const regulatorySooner = c.finalResponseDueAt < internal;
  return { tier, impact: c.severity, hours, dueAt: regulatorySooner ? c.finalResponseDueAt : internal, binding: regulatorySooner ? 'regulatory' : 'internal' };
};

// ---------- availability updates and absence flags ----------

export interface StaffServiceDeps {
  staff: StaffDirectory;
  repo: CaseRepository;
  clock: Clock;
  assignment: AssignmentRules;
}

export class StaffService {
  constructor(private readonly deps: StaffServiceDeps) {}

  /**
   * Replaces a person's availability (admin or supervisor; a supervisor may not edit their own, so nobody clears their
   * own absence flags), then flags each case they own whose deadline falls inside an absence still to come.
   */
  async setAvailability(p: Principal, staffId: string, body: AvailabilityBody, ifMatch?: number): Promise<StaffProfile & { flagged: AbsenceFlag[] }> {
    if (staffId === p.sub && !hasRole(p, 'admin')) throw new ForbiddenError('a supervisor sets the availability of others; ask another supervisor or an admin');
    const now = this.deps.clock.now();
    const current = await this.deps.staff.get(staffId);
    const version = current?.version ?? 0;
    if (ifMatch !== undefined && ifMatch !== version) throw new StaleVersionError(`If-Match version ${ifMatch} is stale; the availability is at version ${version}`);
    const outOfOffice = body.outOfOffice.map((a) => ({ ...a, from: new Date(a.from).toISOString(), to: new Date(a.to).toISOString() })).sort((a, b) => a.from.localeCompare(b.from));
    const profile: StaffProfile = {
      staffId,
      outOfOffice,
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      ...(body.skills ? { skills: body.skills } : {}),
      version: version + 1,
      updatedAt: now,
      updatedBy: p.sub,
    };
    await this.deps.staff.put(profile, version);
    const flagged: AbsenceFlag[] = [];
    for (const a of outOfOffice.filter((x) => x.to > now)) {
      const from = a.from > now ? a.from : now;
      for (const c of await this.deps.staff.ownedDueBetween(staffId, from, a.to)) {
        const suggestedOwnerId = await this.suggest(c, staffId, from, a.to);
        const flag: AbsenceFlag = { caseId: c.id, reference: c.reference, finalResponseDueAt: c.finalResponseDueAt, absence: { from: a.from, to: a.to }, suggestedOwnerId };
        await this.flag(c.id, staffId, flag, p.sub);
        flagged.push(flag);
      }
    }
    return { ...profile, flagged };
  }

  /** A colleague from the case's team (or any team) who is there for the whole window, has the skills and the room. */
  private async suggest(c: Case, absent: string, from: string, to: string): Promise<string | null> {
    const teams = this.deps.assignment.teams;
    const pool = [...new Set([...(c.team ? (own(teams, c.team) ?? []) : []), ...Object.values(teams).flat()])].filter((id) => id !== absent);
    const profiles = await this.deps.staff.many(pool);
    for (const id of pool) {
      const prof = profiles.get(id);
      if (awayDuring(prof, from, to) || !hasSkills(prof, { category: c.category, regime: c.regime })) continue;
      if (prof?.capacity !== undefined && (await this.deps.staff.openCaseCount(id, prof.capacity)) >= prof.capacity) continue;
      return id;
    }
    return null;
  }

  /** Records the flag on the case (audited; the stream tells the owner and the team's supervisors). The owner stays. */
  private async flag(caseId: string, ownerId: string, flag: AbsenceFlag, by: string): Promise<void> {
    await systemMutate(this.deps, caseId, (c) => {
      // Reassigned meanwhile, or already flagged for this very absence: nothing to say.
      if (c.ownerId !== ownerId || (c.ownerAbsence?.from === flag.absence.from && c.ownerAbsence.to === flag.absence.to && c.ownerAbsence.suggestedOwnerId === flag.suggestedOwnerId)) return undefined;
      const ownerAbsence = { ...flag.absence, suggestedOwnerId: flag.suggestedOwnerId, flaggedAt: this.deps.clock.now(), flaggedBy: by };
      return {
        case: { ...c, ownerAbsence },
        result: undefined,
        drafts: [
          {
            actor: by,
            action: 'owner.absence_flagged',
            data: { ownerId, team: c.team ?? null, from: flag.absence.from, to: flag.absence.to, finalResponseDueAt: c.finalResponseDueAt, suggestedOwnerId: flag.suggestedOwnerId },
          },
        ],
      };
    });
  }
}
