// Honest metrics (issue 32 item 4), pure: marking rules, closures that are not resolutions, first-contact resolution,
// normalisation, and seeded counts proving that marked cases leave the KPIs and the return.
import { close, reopen } from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { checkClosure, markDuplicate, markSpam, unmark, INACTIVITY_QUIET_DAYS } from '#domain/honest-metrics';
import { addInto, appliedOf, contributions, diffContributions, firstContact, itemKey, projector, scopes, type Counts } from '#domain/reporting/projection';
import { kpiSet, normalisedVolumes, openFigures } from '#domain/reporting/figures';
import { ConflictError, ForbiddenError, InvalidInputError } from '#domain/errors';
import { ReportingOptions, type ReportingConfig } from '#schemas/reports';
import type { Case } from '#schemas/complaint';
import { DAY, NOW, at, openedCase, principal } from './fixtures';

const config: ReportingConfig = {
  ...ReportingOptions.parse({
    productGroups: { delivery: ['home-delivery'], cards: ['Credit card'] },
    businessUnits: { logistics: { productGroups: ['delivery'], customers: 40_000, accounts: 50_000 }, lending: { productGroups: ['cards'], customers: 8_000 } },
  }),
  timeZone: 'Europe/London',
};
const p = projector(config);
const sup = principal('sam', 'supervisor');

/** A case answered with a final response at `respondedAt` (the domain's shape after POST …/final-response). */
const answered = (c: Case, respondedAt: string): Case => ({
  ...c,
  status: 'resolved',
  rootCause: { category: 'capacity', description: 'Overbooked' },
  cycles: c.cycles.map((cy, i) => (i === c.cycles.length - 1 ? { ...cy, stoppedAt: respondedAt, reason: 'final_response', respondedAt, decision: 'upheld' as const } : cy)),
});
const caseN = (i: number, over: Partial<Case> = {}, product = 'home-delivery'): Case =>
  openedCase({ id: `01JABCDEFGHJKMNPQRSTV${String(i).padStart(5, '0')}`, reference: `CMP-2026-${String(i).padStart(6, '0')}`, ...over }, { product });

const chases = (from: string) => ({ chases: [{ at: at(from, DAY), channel: 'email' as const, note: 'Asked for the bank statement' }, { at: at(from, 8 * DAY), channel: 'phone' as const, note: 'Voicemail left' }] });

const sum = (cases: Case[]): Record<string, Counts> => cases.reduce((t, c) => addInto(t, contributions(c, p).counters), {} as Record<string, Counts>);
const month = (counters: Record<string, Counts>, m: string, sk = 'all#*'): Counts => counters[itemKey(scopes.period('M', m), sk)] ?? {};

describe('marking (supervisor, four eyes, reversible)', () => {
  it('the owner may not mark their own case, even as a supervisor', () => {
    const c = openedCase({ ownerId: 'sam' });
    expect(() => markSpam(sup, c, 'junk', NOW)).toThrow(ForbiddenError);
    expect(() => markDuplicate(sup, c, caseN(2), 'same', NOW)).toThrow(ForbiddenError);
    expect(() => unmark(sup, { ...c, marking: { kind: 'spam', reason: 'x', by: 'other', at: NOW } }, 'oops')).toThrow(ForbiddenError);
  });

  it('marks once, records who, when, why and the rule; unmarking removes the marking', () => {
    const c = openedCase();
    const marked = markSpam(sup, c, 'Bulk mailer', NOW);
    expect(marked.case.marking).toEqual({ kind: 'spam', reason: 'Bulk mailer', by: 'sam', at: NOW });
    expect(marked.drafts).toEqual([{ actor: 'sam', action: 'complaint.marked', data: { kind: 'spam', reason: 'Bulk mailer', rule: 'HM.DISP.COMPLAINT', citation: expect.stringContaining('G197'), version: '2018-01-03' } }]);
    expect(() => markSpam(sup, marked.case, 'again', NOW)).toThrow(ConflictError);
    const back = unmark(sup, marked.case, 'Real customer after all');
    expect(back.case.marking).toBeUndefined();
    expect(back.drafts[0]).toMatchObject({ action: 'complaint.unmarked', data: { was: { kind: 'spam' }, reason: 'Real customer after all' } });
    expect(() => unmark(sup, back.case, 'nothing to undo')).toThrow(ConflictError);
  });

  it('a duplicate names a counted case other than itself', () => {
    const c = caseN(1);
    expect(() => markDuplicate(sup, c, c, 'itself', NOW)).toThrow(InvalidInputError);
    const markedOriginal = { ...caseN(2), marking: { kind: 'spam' as const, reason: 'x', by: 'sam', at: NOW } };
    expect(() => markDuplicate(sup, c, markedOriginal, 'chain', NOW)).toThrow(ConflictError);
    expect(markDuplicate(sup, c, caseN(2), 'Sent twice', NOW).case.marking).toMatchObject({ kind: 'duplicate', duplicateOf: { caseId: caseN(2).id, reference: 'CMP-2026-000002' } });
  });
});

describe('closures that are not resolutions', () => {
  it('UK_FCA_DISP: closing for inactivity before the final response is refused, citing the rule', () => {
    const c = openedCase();
    const now = at(NOW, 30 * DAY);
    expect(() => close(c, { followUpAction: 'None', outcome: 'closed_inactive', inactivity: chases(NOW) }, 'alice', now)).toThrow(
      expect.objectContaining({ name: 'ConflictError', message: expect.stringContaining('send the final response before closing for inactivity') }),
    );
    const done = close(answered(c, at(NOW, 10 * DAY)), { followUpAction: 'None', outcome: 'closed_inactive', inactivity: chases(NOW) }, 'alice', now);
    expect(done.case.cycles[0]!.outcome).toBe('closed_inactive');
    expect(done.drafts[0]!.data).toMatchObject({ outcome: 'closed_inactive', rule: 'ORG.INACTIVITY.CHASE', regimeRule: { rule: 'HM.DISP.INACTIVE-FINAL-RESPONSE', version: '2026-06-01' } });
  });

  it('closing for inactivity needs two chases and fourteen quiet days', () => {
    const c = openedCase({ regime: 'INTERNAL_STANDARD' });
    const cycle = c.cycles[0]!;
    const one = { chases: [chases(NOW).chases[0]!] };
    expect(() => checkClosure(c, cycle, { outcome: 'closed_inactive', inactivity: one }, at(NOW, 60 * DAY))).toThrow(InvalidInputError);
    const lastChase = at(NOW, 8 * DAY);
    expect(() => checkClosure(c, cycle, { outcome: 'closed_inactive', inactivity: chases(NOW) }, at(lastChase, (INACTIVITY_QUIET_DAYS - 1) * DAY))).toThrow(ConflictError);
    expect(checkClosure(c, cycle, { outcome: 'closed_inactive', inactivity: chases(NOW) }, at(lastChase, INACTIVITY_QUIET_DAYS * DAY))).toMatchObject({ outcome: 'closed_inactive' });
    // A chase before the cycle began or in the future is not a chase of this cycle.
    expect(() => checkClosure(c, cycle, { outcome: 'closed_inactive', inactivity: chases(at(NOW, -5 * DAY)) }, at(NOW, 60 * DAY))).toThrow(InvalidInputError);
  });

  it('a withdrawal lies within the cycle; a withdrawn case needs no root cause and no final response', () => {
    const c = openedCase();
    const w = { at: at(NOW, 2 * DAY), channel: 'email' as const, note: 'Customer wrote: please withdraw my complaint' };
    expect(() => close(c, { followUpAction: 'None', outcome: 'withdrawn', withdrawal: { ...w, at: at(NOW, 9 * DAY) } }, 'alice', at(NOW, 3 * DAY))).toThrow(InvalidInputError);
    const done = close(c, { followUpAction: 'None', outcome: 'withdrawn', withdrawal: w }, 'alice', at(NOW, 3 * DAY));
    expect(done.case).toMatchObject({ status: 'closed', cycles: [{ outcome: 'withdrawn' }] });
    expect(done.case.rootCause).toBeUndefined();
    // A resolution still needs its root cause.
    expect(() => close(c, { followUpAction: 'None' }, 'alice', at(NOW, 3 * DAY))).toThrow(InvalidInputError);
  });
});

describe('first-contact resolution (ORG.FCR)', () => {
  it('first-contact resolution: summary path and first response count, a reopen takes it back', () => {
    // Summary resolution: closed by the third business day (Mon 2 March → Thu 5 March close of business).
    const quick = close({ ...openedCase(), rootCause: { category: 'x', description: 'y' } }, { followUpAction: 'None' }, 'alice', at(NOW, DAY));
    expect(firstContact(quick.case, quick.case.cycles[0])).toEqual({ counted: true, resolved: true, at: at(NOW, DAY) });
    // Resolved with the first final response after the window.
    const first = close(answered(openedCase(), at(NOW, 20 * DAY)), { followUpAction: 'None' }, 'alice', at(NOW, 21 * DAY)).case;
    expect(firstContact(first, first.cycles[0]).resolved).toBe(true);
    // Reopened: the first contact did not resolve it; the figure is taken back from the period of the first close.
    const reopened = reopen(first, 'Customer disputes it', getRegime('UK_FCA_DISP'), 'alice', at(NOW, 30 * DAY)).case;
    expect(firstContact(reopened, reopened.cycles[0])).toEqual({ counted: true, resolved: false, at: at(NOW, 21 * DAY) });
    const delta = diffContributions(appliedOf(contributions(first, p)), contributions(reopened, p)).counters[itemKey(scopes.period('M', '2026-03'), 'all#*')];
    expect(delta).toMatchObject({ fcr: -1 });
    expect(delta?.fcrOf).toBeUndefined();
    // Withdrawn is not a resolution: neither counted nor resolved.
    const w = close(openedCase(), { followUpAction: 'None', outcome: 'withdrawn', withdrawal: { at: at(NOW, DAY), channel: 'phone', note: 'Withdrawn on the phone' } }, 'alice', at(NOW, DAY)).case;
    expect(firstContact(w, w.cycles[0]).counted).toBe(false);
  });
});

describe('seeded counts', () => {
  it('seeded counts: the KPIs and the return exclude marked cases', () => {
    const closedAt = at(NOW, 40 * DAY); // 11 April
    const resolved = (i: number, product?: string) => close(answered(caseN(i, {}, product), at(NOW, 20 * DAY)), { followUpAction: 'None' }, 'alice', closedAt).case;
    const spam = (c: Case) => markSpam(sup, c, 'Bulk mailer', NOW).case;
    const cases: Case[] = [
      // 4 counted resolutions (3 logistics, 1 lending), 1 closed for inactivity after the final response, 1 withdrawn, 2 still open.
      resolved(1),
      resolved(2),
      resolved(3),
      resolved(4, 'Credit card'),
      close(answered(caseN(5), at(NOW, 10 * DAY)), { followUpAction: 'None', outcome: 'closed_inactive', inactivity: chases(NOW) }, 'alice', closedAt).case,
      close(caseN(6), { followUpAction: 'None', outcome: 'withdrawn', withdrawal: { at: at(NOW, DAY), channel: 'email', note: 'Withdrawn' } }, 'alice', closedAt).case,
      caseN(7),
      caseN(8),
      // 3 spam (one of them closed, one open) and 2 duplicates of case 1: in no figure but their own.
      spam(caseN(9)),
      spam(resolved(10)),
      spam(caseN(11, {}, 'Credit card')),
      markDuplicate(sup, caseN(12), caseN(1), 'Sent twice', NOW).case,
      markDuplicate(sup, resolved(13), caseN(1), 'Sent twice', NOW).case,
    ];
    const counters = sum(cases);
    const march = month(counters, '2026-03');
    const april = month(counters, '2026-04');
    const k = kpiSet({ ...march, ...Object.fromEntries(Object.entries(april).map(([m, v]) => [m, (march[m] ?? 0) + v])) }, openFigures(counters[itemKey(scopes.open, 'T#all#*')], [], at(NOW, 41 * DAY), 'Europe/London'));
    expect(k.received).toBe(8);
    expect(k.marked).toEqual({ spam: 3, duplicate: 2 });
    expect(k.closed).toBe(6);
    expect(k.resolved).toBe(4);
    expect(k.closedInactive).toBe(1);
    expect(k.withdrawn).toBe(1);
    expect(k.responded).toBe(5);
    expect(k.outcomes.upheld).toBe(5);
    // Every counted resolution was answered once and never reopened: 4 of 4 (inactive and withdrawn are not in it).
    expect(k.firstContactResolution).toEqual({ count: 4, of: 4, rate: 1 });
    // Open board: the two open counted cases only (the open spam and duplicate are not on it).
    expect(Object.values(k.openAge).reduce((a, b) => a + b, 0)).toBe(2);
    // The return: 8 complaints opened, 6 closed (inactive and withdrawn are closed complaints), none of the marked ones.
    const returned = (metric: string) =>
      ['M#2026-03', 'M#2026-04']
        .flatMap((m) => Object.entries(counters[itemKey(scopes.returns('UK_FCA_DISP'), m)] ?? {}))
        .filter(([a]) => a.startsWith(`${metric}|`))
        .reduce((s, [, v]) => s + v, 0);
    expect(returned('o')).toBe(8);
    expect(returned('c')).toBe(6);
    // The control review lists counted cases only.
    expect(cases.flatMap((c) => Object.keys(contributions(c, p).rows))).toHaveLength(8);
    // Normalised: 7 counted logistics cases per 40,000 customers and 50,000 accounts; 1 lending case per 8,000 customers.
    expect(normalisedVolumes(march, config.businessUnits)).toEqual([
      { unit: 'lending', received: 1, customers: 8000, accounts: null, per1000Customers: 0.13, per1000Accounts: null },
      { unit: 'logistics', received: 7, customers: 40000, accounts: 50000, per1000Customers: 0.18, per1000Accounts: 0.14 },
    ]);
  });

  it('unmarking restores every figure the case had (the projection is a function of the case as it is now)', () => {
    const c = caseN(1);
    const marked = markSpam(sup, c, 'Looks automated', NOW).case;
    const back = unmark(sup, marked, 'A real customer').case;
    expect(contributions(back, p)).toEqual(contributions(c, p));
    const delta = diffContributions(appliedOf(contributions(marked, p)), contributions(back, p)).counters[itemKey(scopes.period('M', '2026-03'), 'all#*')];
    expect(delta).toMatchObject({ rcv: 1, mkSpam: -1 });
  });

  it('a product group named like an object property is counted as a group, never as a key lookup', () => {
    const odd = projector({ ...config, businessUnits: { proto: { productGroups: ['constructor'], customers: 1000 } } });
    expect(odd.businessUnit('constructor')).toBe('proto');
    expect(odd.businessUnit('__proto__')).toBeUndefined();
    expect(odd.businessUnit('toString')).toBeUndefined();
  });
});
