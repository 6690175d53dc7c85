// Regime registry, owner assignment on intake and case-level access rules.
import { getRegime, listRegimes } from '#domain/regimes';
import { computeDeadline } from '#domain/deadlines';
import { AssignmentRules, DEFAULT_ASSIGNMENT_RULES, pickMember, planAssignment, type AssignmentFacts } from '#domain/assignment';
import { assertMayAct, assertVisible, canView, type CaseActorRule } from '#domain/access';
import { ForbiddenError, InvalidInputError, NotFoundError } from '#domain/errors';
import { ROLES, type Role } from '#schemas/common';
import type { Sensitivity } from '#schemas/complaint';
import { DAY, NOW, at, principal } from './fixtures';

describe('regimes', () => {
  it('lists every regime with a final-response clock and a citation', () => {
    const ids = listRegimes().map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['UK_FCA_DISP', 'US_CFPB', 'AU_ASIC_RG271', 'INTERNAL_STANDARD']));
    for (const r of listRegimes()) {
      expect(r.citation).not.toBe('');
      expect(r.clocks.some((c) => c.id === 'final_response')).toBe(true);
    }
  });

  it('refuses an unknown regime with a field error naming the known ones', () => {
    let caught: unknown;
    try {
      getRegime('NOPE');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).errors[0]?.field).toBe('body.regime');
    expect((caught as InvalidInputError).errors[0]?.message).toContain('UK_FCA_DISP');
  });

  it('computes calendar-day deadlines per regime, in wall-clock days of the regime zone', () => {
    const due = (id: string) => computeDeadline(getRegime(id), NOW).dueAt;
    const HOUR = 3_600_000;
    // DISP 1.6.2R eight weeks and the CFPB's 15 calendar days keep the local time of receipt, so across the
    // start of summer time (UK 29 March, US 8 March 2026) an hour less elapses.
    expect(due('UK_FCA_DISP')).toBe(at(NOW, 56 * DAY - HOUR));
    expect(due('US_CFPB')).toBe(at(NOW, 15 * DAY - HOUR));
    expect(due('AU_ASIC_RG271')).toBe(at(NOW, 30 * DAY));
    expect(due('INTERNAL_STANDARD')).toBe(at(NOW, 28 * DAY));
  });

  it('INTERNAL_STANDARD days can be overridden without touching other regimes', () => {
    const opts = { internalStandardDays: 10 };
    expect(computeDeadline(getRegime('INTERNAL_STANDARD', opts), NOW).dueAt).toBe(at(NOW, 10 * DAY));
    expect(getRegime('INTERNAL_STANDARD', opts).clocks[0]).toMatchObject({ amount: 10, unit: 'calendar_days' });
    expect(getRegime('UK_FCA_DISP', opts)).toEqual(getRegime('UK_FCA_DISP'));
    expect(getRegime('INTERNAL_STANDARD').clocks[0]?.amount).toBe(28);
  });
});

describe('assignment', () => {
  const facts: AssignmentFacts = { category: 'billing', channel: 'web', regime: 'UK_FCA_DISP', product: 'cards', vulnerable: false };
  const rules = AssignmentRules.parse({
    teams: { complaints: ['h1', 'h2', 'h3'], billing: ['b1', 'b2'], care: ['v1'] },
    defaultTeam: 'complaints',
    rules: [
      { match: { vulnerable: true }, team: 'care' },
      { match: { category: 'billing', channel: 'phone' }, ownerId: 'phone-billing-lead' },
      { match: { category: 'billing' }, team: 'billing' },
    ],
  });

  it('an explicit owner wins over every rule', () => {
    expect(planAssignment(rules, { ...facts, vulnerable: true }, 'zoe')).toEqual({ kind: 'explicit', ownerId: 'zoe', rule: 'explicit' });
  });

  it('the first matching rule decides; every match field must agree', () => {
    expect(planAssignment(rules, { ...facts, vulnerable: true })).toEqual({ kind: 'team', team: 'care', rule: 'rule[0]' });
    expect(planAssignment(rules, { ...facts, channel: 'phone' })).toEqual({ kind: 'explicit', ownerId: 'phone-billing-lead', rule: 'rule[1]' });
    expect(planAssignment(rules, facts)).toEqual({ kind: 'team', team: 'billing', rule: 'rule[2]' });
  });

  it('falls back to the default team', () => {
    expect(planAssignment(rules, { ...facts, category: 'other' })).toEqual({ kind: 'team', team: 'complaints', rule: 'defaultTeam' });
    expect(planAssignment(DEFAULT_ASSIGNMENT_RULES, facts)).toEqual({ kind: 'team', team: 'complaints', rule: 'defaultTeam' });
  });

  it('round-robin walks the team in order from its 1-based count', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => pickMember(rules, 'complaints', n))).toEqual(['h1', 'h2', 'h3', 'h1', 'h2', 'h3', 'h1']);
    expect([1, 2, 3].map((n) => pickMember(rules, 'billing', n))).toEqual(['b1', 'b2', 'b1']);
    expect(() => pickMember(rules, 'nobody', 1)).toThrow(/no members/);
  });

  it('the rules schema refuses inconsistent configuration', () => {
    expect(AssignmentRules.safeParse({ teams: { a: ['x'] }, defaultTeam: 'b' }).success).toBe(false);
    expect(AssignmentRules.safeParse({ teams: { a: ['x'] }, defaultTeam: 'a', rules: [{ match: {}, team: 'zzz' }] }).success).toBe(false);
    expect(AssignmentRules.safeParse({ teams: { a: ['x'] }, defaultTeam: 'a', rules: [{ match: {}, team: 'a', ownerId: 'x' }] }).success).toBe(false);
    expect(AssignmentRules.safeParse({ teams: { a: [] }, defaultTeam: 'a' }).success).toBe(false);
    expect(AssignmentRules.parse({ teams: { a: ['x'] }, defaultTeam: 'a' }).rules).toEqual([]);
  });
});

describe('access', () => {
  const theCase = (sensitivity: Sensitivity) => ({ id: 'C1', ownerId: 'alice', sensitivity });
  const viewers: Record<Sensitivity, Role[]> = {
    standard: ['handler', 'supervisor', 'compliance', 'legal', 'admin'],
    restricted: ['supervisor', 'compliance', 'legal', 'admin'],
  };

  describe.each(['standard', 'restricted'] as const)('a %s case', (sensitivity) => {
    it.each([...ROLES])('as a non-owner %s', (role) => {
      const p = principal('someone-else', role);
      const visible = viewers[sensitivity].includes(role);
      expect(canView(p, theCase(sensitivity))).toBe(visible);
      if (visible) expect(() => assertVisible(p, theCase(sensitivity))).not.toThrow();
      else expect(() => assertVisible(p, theCase(sensitivity))).toThrow(NotFoundError);
    });

    it('is always visible to its owner, whatever their roles', () => {
      expect(canView(principal('alice'), theCase(sensitivity))).toBe(true);
    });
  });

  const ACTORS: Record<CaseActorRule, Role[]> = {
    owner: [],
    owner_or_supervisor: ['supervisor'],
    owner_supervisor_compliance_legal: ['supervisor', 'compliance', 'legal'],
    supervisor_or_admin: ['supervisor', 'admin'],
  };

  describe.each(Object.keys(ACTORS) as CaseActorRule[])('rule %s', (rule) => {
    it('lets the owner act', () => {
      expect(() => assertMayAct(principal('alice', 'handler'), theCase('restricted'), rule)).not.toThrow();
    });

    it.each([...ROLES])('non-owner %s on a standard case: allowed only by the rule, else 403 (or 404 if invisible)', (role) => {
      const run = () => assertMayAct(principal('bob', role), theCase('standard'), rule);
      if (ACTORS[rule].includes(role)) expect(run).not.toThrow();
      else if (viewers.standard.includes(role)) expect(run).toThrow(ForbiddenError);
      else expect(run).toThrow(NotFoundError);
    });

    it('a restricted case is 404, never 403, for a handler who is not the owner', () => {
      expect(() => assertMayAct(principal('bob', 'handler'), theCase('restricted'), rule)).toThrow(NotFoundError);
    });
  });
});
