// The reporting projection and the figures computed from it: pure, no I/O.
import { acknowledge, close, reopen } from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import {
  addInto,
  bucketName,
  contributions,
  diffContributions,
  fromMinor,
  isEmptyDelta,
  itemKey,
  openSk,
  explodeOpenMonth,
  projector,
  splitKey,
  scopes,
  toMinor,
  appliedOf,
  explodeDayItem,
  DAY_SK,
  EMPTY_CONTRIBUTIONS,
  type Counts,
} from '#domain/reporting/projection';
import { DateTime } from 'luxon';
import { controlReview, controlScore, kpiSet, openBoardSince, openFigures, reportRange, rootCauseTrend } from '#domain/reporting/figures';
import { ControlScoreThresholds, ReportingOptions, type ReportingConfig } from '#schemas/reports';
import type { Case } from '#schemas/complaint';
import { DAY, NOW, at, openedCase } from './fixtures';

const config: ReportingConfig = {
  ...ReportingOptions.parse({ productGroups: { delivery: ['home-delivery', 'Express Delivery'] }, rootCauses: { capacity: ['Depot capacity', 'capacity'] } }),
  timeZone: 'Europe/London',
};
const p = projector(config);
const T = ControlScoreThresholds.parse({});

/** A case answered (final response, decision, compensation) and closed, as the domain leaves it. */
const answered = (c: Case, respondedAt: string, over: Partial<Case['cycles'][number]> = {}): Case => ({
  ...c,
  status: 'resolved',
  rootCause: { category: 'Depot capacity', description: 'Overbooked' },
  cycles: c.cycles.map((cy, i) => (i === c.cycles.length - 1 ? { ...cy, stoppedAt: respondedAt, reason: 'final_response', respondedAt, decision: 'upheld', compensation: { amount: '120.50', currency: 'GBP' }, ...over } : cy)),
});

const counter = (cs: ReturnType<typeof contributions>, scope: string, sk: string): Counts => cs.counters[itemKey(scope, sk)] ?? {};

describe('contributions of one case', () => {
  it('counts a new case in the day and month of receipt under every dimension value, and on the open board', () => {
    const c = openedCase();
    const cs = contributions(c, p);
    for (const sk of ['all#*', 'regime#UK_FCA_DISP', 'category#service_delay', 'product#delivery', 'channel#web', 'outcome#pending']) {
      expect(counter(cs, scopes.period('M', '2026-03'), sk)).toMatchObject({ rcv: 1, ackDue: 1, clock: 1 });
      // The day has one item per dimension value too (issue 29: no item holds every value's metrics).
      expect(counter(cs, scopes.period('D', '2026-03-02'), sk)).toMatchObject({ rcv: 1, ackDue: 1, clock: 1 });
    }
    expect(cs.counters[itemKey(scopes.period('D', '2026-03-02'), DAY_SK)]).toBeUndefined();
    // A day item from before the split (every value's metrics as `<dim>#<value>|<metric>`) reads back per value.
    expect(explodeDayItem({ 'all#*|rcv': 2, 'product#delivery|rcv': 1, 'product#delivery|clock': 1 }, 'product#')).toEqual([{ sk: 'product#delivery', counts: { rcv: 1, clock: 1 } }]);
    for (const [dim, value] of [['all', '*'], ['regime', 'UK_FCA_DISP'], ['product', 'delivery'], ['outcome', 'pending']] as const) {
      expect(counter(cs, scopes.open, openSk.total(dim, value))).toEqual({ n: 1 });
      const month = { sk: openSk.month(dim, value, '2026-03'), counts: counter(cs, scopes.open, openSk.month(dim, value, '2026-03')) };
      expect(month.counts).toEqual({ '02|n': 1 });
      expect(explodeOpenMonth(month)).toEqual([{ sk: '2026-03-02', counts: { n: 1 } }]);
    }
    expect(Object.keys(cs.counters).filter((k) => splitKey(k).scope === scopes.open)).toHaveLength(12);
    expect(counter(cs, scopes.returns('UK_FCA_DISP'), 'M#2026-03')).toEqual({ 'o|delivery|service_delay': 1 });
    expect(Object.values(cs.rows)).toHaveLength(1);
  });

  it('a response after the three-business-day window and within 8 weeks counts as such', () => {
    const c = answered(openedCase(), at(NOW, 10 * DAY));
    expect(counter(contributions(c, p), scopes.returns('UK_FCA_DISP'), 'M#2026-03')).toMatchObject({ 'c8|delivery|service_delay': 1 });
    const late = answered(openedCase(), at(NOW, 60 * DAY));
    expect(counter(contributions(late, p), scopes.returns('UK_FCA_DISP'), 'M#2026-05')).toMatchObject({ 'cx|delivery|service_delay': 1 });
    expect(counter(contributions(late, p), scopes.returns('UK_FCA_DISP'), 'M#2026-05')['cd|delivery|service_delay']).toBeUndefined();
  });

  it('counts the response, the outcome, compensation exactly and the days to resolve; closing takes it off the open board', () => {
    const c = close(answered(openedCase(), at(NOW, 3 * DAY + 3_600_000)), { followUpAction: 'Review depot slots' }, 'alice', at(NOW, 4 * DAY)).case;
    const cs = contributions(c, p);
    const march = counter(cs, scopes.period('M', '2026-03'), 'all#*');
    expect(march).toMatchObject({ rcv: 1, resp: 1, respIn: 1, up: 1, clo: 1, cloIn: 1, cloOut: 1, cloRc: 1, 'cmp:GBP': 1_205_000, 'rc:capacity': 1, [bucketName('d', 4)]: 1 });
    // The outcome dimension follows the decision.
    expect(counter(cs, scopes.period('M', '2026-03'), 'outcome#upheld')).toMatchObject({ rcv: 1 });
    expect(counter(cs, scopes.period('M', '2026-03'), 'outcome#pending')).toEqual({});
    expect(Object.keys(cs.counters).filter((k) => splitKey(k).scope === scopes.open)).toEqual([]);
    // Received Mon 2 March, answered Thu 5 March 10:00: by close of business on the third business day after receipt.
    expect(counter(cs, scopes.returns('UK_FCA_DISP'), 'M#2026-03')).toMatchObject({ 'c|delivery|service_delay': 1, 'c3|delivery|service_delay': 1, 'cd|delivery|service_delay': 1, 'u|delivery|service_delay': 1, 'r:GBP|delivery|service_delay': 1_205_000 });
  });

  it('keeps each cycle after a reopen: the first answer, the reopen and the second answer all count', () => {
    const regime = getRegime('UK_FCA_DISP');
    const first = close(answered(openedCase(), at(NOW, 2 * DAY)), { followUpAction: 'x' }, 'alice', at(NOW, 2 * DAY)).case;
    const again = reopen(first, 'Customer disputes the outcome', regime, 'alice', at(NOW, 40 * DAY)).case;
    const second = close(answered(again, at(NOW, 45 * DAY), { decision: 'not_upheld', compensation: undefined }), { followUpAction: 'y' }, 'alice', at(NOW, 45 * DAY)).case;
    const cs = contributions(second, p);
    const all = addInto({}, Object.fromEntries(Object.entries(cs.counters).filter(([k]) => k.startsWith('M#') && k.endsWith('all#*'))));
    const sum = (m: string) => Object.values(all).reduce((s, c) => s + (c[m] ?? 0), 0);
    expect([sum('rcv'), sum('resp'), sum('clo'), sum('reo'), sum('up'), sum('nup')]).toEqual([1, 2, 2, 1, 1, 1]);
    expect(counter(cs, scopes.period('M', '2026-04'), 'all#*')).toMatchObject({ reo: 1, resp: 1, nup: 1 });
    // The outcome dimension is the latest decision.
    expect(counter(cs, scopes.period('M', '2026-03'), 'outcome#not_upheld')).toMatchObject({ rcv: 1 });
  });

  it('an acknowledgement after its deadline is counted as due but not on time', () => {
    const c = openedCase();
    const onTime = contributions(acknowledge(c, {}, 'alice', at(NOW, DAY)).case, p);
    const late = contributions(acknowledge(c, {}, 'alice', at(NOW, 20 * DAY)).case, p);
    expect(counter(onTime, scopes.period('M', '2026-03'), 'all#*')).toMatchObject({ ackDue: 1, ackOk: 1 });
    expect(counter(late, scopes.period('M', '2026-03'), 'all#*').ackOk).toBeUndefined();
  });

  it('counts at-risk cases as handled only when escalated or waived', () => {
    const fired = { ...openedCase(), checkpoints: openedCase().checkpoints.map((k) => (k.percent <= 75 ? { ...k, firedAt: k.at } : k)) };
    expect(counter(contributions(fired, p), scopes.period('M', '2026-03'), 'all#*')).toMatchObject({ risk: 1 });
    expect(counter(contributions(fired, p), scopes.period('M', '2026-03'), 'all#*').riskHandled).toBeUndefined();
    const waived: Case = { ...fired, waivers: [{ checkpoint: 75, cycle: 1, justification: 'Final response goes out tomorrow', waivedBy: 'sam', waivedAt: at(NOW, 43 * DAY), escalationId: null }] };
    expect(counter(contributions(waived, p), scopes.period('M', '2026-03'), 'all#*')).toMatchObject({ risk: 1, riskHandled: 1 });
    expect(counter(contributions(waived, p), scopes.period('M', '2026-04'), 'all#*')).toMatchObject({ waiv: 1 });
  });
});

describe('differences', () => {
  it('from nothing is the whole contribution; between equal contributions is empty; back to nothing undoes it', () => {
    const cs = contributions(openedCase(), p);
    expect(diffContributions(EMPTY_CONTRIBUTIONS, cs).counters).toEqual(cs.counters);
    expect(isEmptyDelta(diffContributions(appliedOf(cs), contributions(openedCase(), p)))).toBe(true);
    const undo = diffContributions(appliedOf(cs), { counters: {}, rows: {} });
    expect(addInto(structuredClone(cs.counters), undo.counters)).toEqual(Object.fromEntries(Object.entries(cs.counters).map(([k, c]) => [k, Object.fromEntries(Object.keys(c).map((m) => [m, 0]))])));
    expect(undo.remove).toEqual(Object.keys(cs.rows));
  });

  it('applying every difference along a case’s history lands on its final contribution', () => {
    const versions = [openedCase()];
    versions.push(acknowledge(versions[0]!, {}, 'alice', at(NOW, DAY)).case);
    versions.push(answered(versions[1]!, at(NOW, 10 * DAY)));
    versions.push(close(versions[2]!, { followUpAction: 'x' }, 'alice', at(NOW, 11 * DAY)).case);
    let applied = EMPTY_CONTRIBUTIONS;
    const total: Record<string, Counts> = {};
    for (const v of versions) {
      const next = contributions(v, p);
      addInto(total, diffContributions(applied, next).counters);
      applied = appliedOf(next);
    }
    const nonZero = (x: Record<string, Counts>) => Object.fromEntries(Object.entries(x).map(([k, c]) => [k, Object.fromEntries(Object.entries(c).filter(([, n]) => n))] as const).filter(([, c]) => Object.keys(c).length));
    expect(nonZero(total)).toEqual(nonZero(contributions(versions[3]!, p).counters));
  });
});

describe('money', () => {
  it.each([
    ['0', 0, '0.00'],
    ['120.5', 1_205_000, '120.50'],
    ['120.50', 1_205_000, '120.50'],
    ['0.0001', 1, '0.0001'],
    ['999999999999999.9999', Number.MAX_SAFE_INTEGER, undefined],
  ])('%s is counted exactly in ten-thousandths', (amount, minor, back) => {
    if (back === undefined) return expect(Number.isSafeInteger(toMinor(amount))).toBe(false);
    expect(toMinor(amount)).toBe(minor);
    expect(fromMinor(minor)).toBe(back);
  });
});

describe('ranges', () => {
  it('covers whole months with month items and the rest with day items', () => {
    const r = reportRange({ from: '2026-01-30', to: '2026-03-02' }, NOW, 'Europe/London', 30);
    expect(r.scopes).toEqual(['D#2026-01-30', 'D#2026-01-31', 'M#2026-02', 'D#2026-03-01', 'D#2026-03-02']);
  });
  it('defaults to the last n days up to today in the organisation time zone', () => {
    const r = reportRange({}, '2026-03-01T23:30:00Z', 'Pacific/Auckland', 30);
    expect([r.from, r.to]).toEqual(['2026-02-01', '2026-03-02']);
  });
  it('refuses from after to and ranges over five years', () => {
    expect(() => reportRange({ from: '2026-03-02', to: '2026-03-01' }, NOW, 'Europe/London', 30)).toThrow(/from is after to/);
    expect(() => reportRange({ from: '2020-01-01', to: '2025-01-02' }, NOW, 'Europe/London', 30)).toThrow(/longer than 5 years/);
    expect(reportRange({ from: '2020-01-01', to: '2025-01-01' }, NOW, 'Europe/London', 30).scopes).toHaveLength(61);
  });
});

describe('figures', () => {
  it('median and p90 by nearest rank over the day histogram', () => {
    const k = kpiSet({ resp: 10, [bucketName('d', 1)]: 4, [bucketName('d', 5)]: 5, [bucketName('d', 90)]: 1 }, { openAge: { '0-7d': 0, '8-14d': 0, '15-28d': 0, '29-56d': 0, 'over-56d': 0 }, overdueNow: 0 });
    expect(k.daysToResolve).toEqual({ count: 10, median: 5, p90: 5 });
    const tail = kpiSet({ [bucketName('d', 1)]: 1, [bucketName('d', Infinity)]: 9 }, { openAge: { '0-7d': 0, '8-14d': 0, '15-28d': 0, '29-56d': 0, 'over-56d': 0 }, overdueNow: 0 });
    expect(tail.daysToResolve.p90).toBe(365);
  });

  it('open-case age buckets count from today in the organisation time zone; the totals beyond the days read are over 56 days old', () => {
    expect(openBoardSince(NOW, 'Europe/London')).toBe('2026-01-05');
    // Month-of-receipt items as the board reads them: the first month holds a day before the window (2 January, 59 days).
    const months: { sk: string; counts: Counts }[] = [
      { sk: openSk.month('all', '*', '2026-01'), counts: { '02|n': 1, '02|od': 0, '05|n': 1, '05|od': 1, '06|n': 0, '06|od': 0 } },
      { sk: openSk.month('all', '*', '2026-02'), counts: { '20|n': 1, '20|od': 0 } },
      { sk: openSk.month('all', '*', '2026-03'), counts: { '02|n': 2, '02|od': 0 } },
    ];
    const days = months.flatMap(explodeOpenMonth);
    expect(days.map((d) => d.sk)).toEqual(['2026-01-02', '2026-01-05', '2026-02-20', '2026-03-02']);
    expect(openFigures({ n: 7, od: 4 }, days, NOW, 'Europe/London')).toEqual({ openAge: { '0-7d': 2, '8-14d': 1, '15-28d': 0, '29-56d': 1, 'over-56d': 3 }, overdueNow: 4 });
    expect(openFigures(undefined, [], NOW, 'Europe/London')).toEqual({ openAge: { '0-7d': 0, '8-14d': 0, '15-28d': 0, '29-56d': 0, 'over-56d': 0 }, overdueNow: 0 });
  });

  it.each([
    ['Europe/London', '2026-04-10T00:30:00.000Z'], // BST: 01:30 local, 10 April; the window spans the March change
    ['Pacific/Auckland', '2026-04-09T12:30:00.000Z'], // already 10 April (00:30 local); NZDT ends on 5 April
    ['America/Los_Angeles', '2026-03-10T06:30:00.000Z'], // still 9 March (23:30 local); PDT begins on 8 March
  ])('open-case ages are whole calendar days in %s, across a daylight-saving change and when the local date is not the UTC date', (zone, now) => {
    const today = DateTime.fromISO(now, { zone: 'utc' }).setZone(zone).startOf('day');
    const days = Array.from({ length: 70 }, (_, i) => ({ sk: today.minus({ days: i }).toISODate()!, counts: { n: i + 1 } }));
    const expected: Record<string, number> = { '0-7d': 0, '8-14d': 0, '15-28d': 0, '29-56d': 0, 'over-56d': 0 };
    for (const [age, d] of days.entries()) expected[age <= 7 ? '0-7d' : age <= 14 ? '8-14d' : age <= 28 ? '15-28d' : age <= 56 ? '29-56d' : 'over-56d']! += d.counts.n;
    expect(openFigures({ n: 70 * 71 / 2, od: 0 }, days, now, zone).openAge).toEqual(expected);
  });

  it('root causes: the top five per month, most frequent first', () => {
    const trend = rootCauseTrend([
      { scope: 'D#2026-02-27', counts: { 'rc:a': 1, 'rc:b': 3 } },
      { scope: 'M#2026-03', counts: { 'rc:a': 2, 'rc:c': 1, rcv: 9 } },
      { scope: 'D#2026-02-28', counts: { 'rc:a': 3 } },
    ]);
    expect(trend).toEqual([
      { month: '2026-02', causes: [{ cause: 'a', count: 4 }, { cause: 'b', count: 3 }] },
      { month: '2026-03', causes: [{ cause: 'a', count: 2 }, { cause: 'c', count: 1 }] },
    ]);
  });
});

describe('control score', () => {
  const range = { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/London', asOf: NOW };
  const perfect: Counts = { rcv: 10, clock: 10, ackDue: 10, ackOk: 10, ho: 5, clo: 8, cloIn: 8, cloEv: 8, cloRc: 8, cloOut: 8, risk: 2, riskHandled: 2, respAp: 3, respApOk: 3, apr: 3, aprOk: 3 };

  it('12 and a stable foundation when every rule holds', () => {
    const s = controlScore(perfect, T, range);
    expect(s.items.map((i) => [i.item, i.score])).toEqual([
      ['ownership', 2],
      ['deadlineControl', 2],
      ['evidenceRecord', 2],
      ['escalationPath', 2],
      ['approvals', 2],
      ['reporting', 2],
    ]);
    expect([s.total, s.band]).toEqual([12, 'stable_foundation']);
    for (const i of s.items) expect(i.rule.length).toBeGreaterThan(20);
  });

  it.each([
    ['ownership', { hoNoReason: 1 }, 1],
    ['ownership', { ho: 30 }, 1],
    ['ownership', { noOwner: 1 }, 0],
    ['deadlineControl', { clock: 9 }, 0],
    ['deadlineControl', { cloIn: 7 }, 1],
    ['deadlineControl', { cloIn: 6 }, 0],
    ['deadlineControl', { ackOk: 9 }, 1],
    ['evidenceRecord', { cloEv: 7 }, 1],
    ['evidenceRecord', { cloEv: 6 }, 0],
    ['escalationPath', { riskHandled: 1 }, 0],
    ['escalationPath', { escUnack: 1 }, 1],
    ['approvals', { respApOk: 2 }, 0],
    ['approvals', { aprExp: 1 }, 1],
    ['reporting', { cloRc: 7 }, 1],
  ] as const)('%s drops to its rule’s score when %j', (item, change, score) => {
    const s = controlScore({ ...perfect, ...change }, T, range);
    expect(s.items.find((i) => i.item === item)?.score).toBe(score);
  });

  it('bands: 0–4 high operational risk, 5–8 partial control', () => {
    expect(controlScore({}, T, range)).toMatchObject({ total: 3, band: 'high_operational_risk' });
    expect(controlScore({ ...perfect, noOwner: 1, clock: 0, cloEv: 0 }, T, range)).toMatchObject({ total: 6, band: 'partial_control' });
  });
});

describe('control review', () => {
  it('summarises missed deadlines, handoffs, evidence completeness, approval visibility and reopens', () => {
    const row = (over: Record<string, unknown>) => ({ ...contributions(openedCase(), p).rows[Object.keys(contributions(openedCase(), p).rows)[0]!]!, ...over });
    const r = controlReview(
      [
        row({ missedDeadlines: 1, handoffs: 2, reopenCount: 1 }),
        row({ evidence: { pending: 0, verified: 2, rejected: 0, complete: true }, approvals: { required: 1, approved: 1, status: 'approved' } }),
        row({ approvals: { required: 2, approved: 1, status: 'pending' } }),
      ],
      20,
      NOW,
    );
    expect(r.summary).toEqual({
      cases: 3,
      withMissedDeadline: 1,
      missedDeadlines: 1,
      handoffs: 2,
      handoffsPerCase: 0.67,
      evidenceComplete: { count: 1, of: 3, rate: 0.3333 },
      approvalVisible: { count: 1, of: 2, rate: 0.5 },
      reopenRate: { count: 1, of: 3, rate: 0.3333 },
    });
  });
});
