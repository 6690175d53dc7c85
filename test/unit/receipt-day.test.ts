// Worked examples: every rule clock counts from the day the complaint is received (DISP 1.5.1R, DISP 1.6.2AR); only the
// organisation's policy clocks (the UK acknowledgement standard) take a cut-off. Each expected instant was counted by
// hand on the calendar named in the example (UTC shown; local time in the name).
import { computeDeadline } from '#domain/deadlines';
import { getRegime, listRegimes, type RegimeOptions } from '#domain/regimes';
import { contributions, itemKey, projector, returnAttr, scopes } from '#domain/reporting/projection';
import type { Case } from '#schemas/complaint';
import { ReportingOptions } from '#schemas/reports';
import { openedCase } from './fixtures';

/** The rule texts the examples apply, quoted (FCA Handbook, DISP 1.5 as from 30/06/2016; DISP 1.6 at 01/06/2026). */
const RULE = {
  'UK.DISP.1.5.1R': 'DISP 1.5.1R: resolved "by close of business on the third business day following the day on which it is received"',
  'UK.DISP.1.6.2AR-1': 'DISP 1.6.2AR(1): a final response "within 15 business days of its receipt of the complaint"',
  'UK.DISP.1.6.2AR-2': 'DISP 1.6.2AR(2): in exceptional circumstances a final response "within 35 business days of its receipt of the complaint"',
  'ORG.UK.ACK-CUT-OFF': 'Organisation policy: the acknowledgement standard counts a receipt after 17:00 or on a non-business day from the next business day',
} as const;
type RuleId = keyof typeof RULE;

interface Example {
  name: string;
  rule: RuleId;
  regime: 'UK_FCA_DISP' | 'UK_FCA_PSD';
  opts?: RegimeOptions;
  receivedAt: string;
  field: 'summaryResolutionEndsAt' | 'dueAt' | 'extendedDueAt' | 'acknowledgementDueAt';
  due: string;
  /** What the deleted DISP 1.5.3G cut-off gave (one business day late), for the record. */
  wasLate?: string;
}

const SCOTLAND: RegimeOptions = { calendars: { UK_FCA_DISP: { region: 'GB-SCT' }, UK_FCA_PSD: { region: 'GB-SCT' } } };

const RECEIPT_DAY_EXAMPLES: Example[] = [
  {
    name: 'received Friday 28 Aug 2026 at 17:30 BST (after 17:00): 15 business days from the Friday → Mon 21 Sep 17:00 BST (Mon 31 Aug is a bank holiday)',
    rule: 'UK.DISP.1.6.2AR-1',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-28T16:30:00Z',
    field: 'dueAt',
    due: '2026-09-21T16:00:00.000Z',
    wasLate: '2026-09-22T16:00:00.000Z',
  },
  {
    name: 'received Friday 28 Aug 2026 at 17:30 BST: exceptionally 35 business days → Mon 19 Oct 17:00 BST',
    rule: 'UK.DISP.1.6.2AR-2',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-28T16:30:00Z',
    field: 'extendedDueAt',
    due: '2026-10-19T16:00:00.000Z',
    wasLate: '2026-10-20T16:00:00.000Z',
  },
  {
    name: 'received Friday 9 Oct 2026 at 17:45 BST (after 17:00): third business day following → Wed 14 Oct 17:00 BST',
    rule: 'UK.DISP.1.5.1R',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-10-09T16:45:00Z',
    field: 'summaryResolutionEndsAt',
    due: '2026-10-14T16:00:00.000Z',
    wasLate: '2026-10-15T16:00:00.000Z',
  },
  {
    name: 'received Saturday 10 Oct 2026 at 10:00 BST: third business day following the Saturday → Wed 14 Oct 17:00 BST',
    rule: 'UK.DISP.1.5.1R',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-10-10T09:00:00Z',
    field: 'summaryResolutionEndsAt',
    due: '2026-10-14T16:00:00.000Z',
    wasLate: '2026-10-15T16:00:00.000Z',
  },
  {
    name: 'received Saturday 10 Oct 2026 at 10:00 BST: 15 business days from the Saturday → Fri 30 Oct 17:00 GMT (clocks went back on 25 Oct)',
    rule: 'UK.DISP.1.6.2AR-1',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-10-10T09:00:00Z',
    field: 'dueAt',
    due: '2026-10-30T17:00:00.000Z',
    wasLate: '2026-11-02T17:00:00.000Z',
  },
  {
    name: 'received on the England bank holiday Mon 31 Aug 2026 at 11:00 BST: third business day following → Thu 3 Sep 17:00 BST',
    rule: 'UK.DISP.1.5.1R',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-08-31T10:00:00Z',
    field: 'summaryResolutionEndsAt',
    due: '2026-09-03T16:00:00.000Z',
    wasLate: '2026-09-04T16:00:00.000Z',
  },
  {
    name: 'received on the England bank holiday Mon 31 Aug 2026: 15 business days → Mon 21 Sep 17:00 BST',
    rule: 'UK.DISP.1.6.2AR-1',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-31T10:00:00Z',
    field: 'dueAt',
    due: '2026-09-21T16:00:00.000Z',
    wasLate: '2026-09-22T16:00:00.000Z',
  },
  {
    name: 'England, Christmas and New Year: received Wed 23 Dec 2026 at 18:00 GMT; 25, 28 Dec and 1 Jan closed → third business day Wed 30 Dec 17:00',
    rule: 'UK.DISP.1.5.1R',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'summaryResolutionEndsAt',
    due: '2026-12-30T17:00:00.000Z',
    wasLate: '2026-12-31T17:00:00.000Z',
  },
  {
    name: 'England, Christmas and New Year: received Wed 23 Dec 2026 at 18:00 GMT → 15th business day Mon 18 Jan 2027 17:00',
    rule: 'UK.DISP.1.6.2AR-1',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'dueAt',
    due: '2027-01-18T17:00:00.000Z',
    wasLate: '2027-01-19T17:00:00.000Z',
  },
  {
    name: 'Scotland, Christmas and New Year: the same receipt; 2 January falls on a Saturday, so Mon 4 Jan 2027 is also closed → Tue 19 Jan 17:00',
    rule: 'UK.DISP.1.6.2AR-1',
    regime: 'UK_FCA_PSD',
    opts: SCOTLAND,
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'dueAt',
    due: '2027-01-19T17:00:00.000Z',
    wasLate: '2027-01-20T17:00:00.000Z',
  },
  {
    name: 'Scotland, Christmas and New Year: the third business day following Wed 23 Dec is Wed 30 Dec, as in England',
    rule: 'UK.DISP.1.5.1R',
    regime: 'UK_FCA_DISP',
    opts: SCOTLAND,
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'summaryResolutionEndsAt',
    due: '2026-12-30T17:00:00.000Z',
  },
  {
    name: 'the acknowledgement standard (policy) keeps its cut-off: Wed 23 Dec 18:00 is acknowledged as if received Thu 24 Dec → 5th business day Tue 5 Jan (England)',
    rule: 'ORG.UK.ACK-CUT-OFF',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'acknowledgementDueAt',
    due: '2027-01-05T17:00:00.000Z',
  },
  {
    name: 'the acknowledgement standard in Scotland: Mon 4 Jan closed → Wed 6 Jan',
    rule: 'ORG.UK.ACK-CUT-OFF',
    regime: 'UK_FCA_DISP',
    opts: SCOTLAND,
    receivedAt: '2026-12-23T18:00:00Z',
    field: 'acknowledgementDueAt',
    due: '2027-01-06T17:00:00.000Z',
  },
];

describe('a rule clock counts from the day of receipt (worked examples)', () => {
  it.each(RECEIPT_DAY_EXAMPLES)('$rule — $name', ({ regime, opts, receivedAt, field, due, wasLate, rule }) => {
    expect(RULE[rule]).toBeDefined();
    const d = computeDeadline(getRegime(regime, opts), receivedAt);
    expect(d[field]).toBe(due);
    if (wasLate) expect(Date.parse(wasLate)).toBeGreaterThan(Date.parse(due));
  });

  it('the day of receipt is day 0 whatever the time of day or the kind of day (UK.DISP.1.6.2AR-1)', () => {
    const psd = getRegime('UK_FCA_PSD');
    expect(computeDeadline(psd, '2026-10-10T09:00:00Z').receiptDate).toBe('2026-10-10');
    expect(computeDeadline(psd, '2026-08-28T16:30:00Z').receiptDate).toBe('2026-08-28');
  });

  it('a cut-off exists only as the organisation’s policy and moves policy clocks only', () => {
    for (const r of listRegimes()) {
      if (!r.cutOff) continue;
      expect([r.id, r.cutOff.basis, r.cutOff.appliesTo]).toEqual([r.id, 'policy', 'policy_clocks']);
      expect(r.cutOff.citation).not.toMatch(/1\.5\.3G/);
      // Every clock a cut-off could move is marked policy; the rule clocks it leaves alone are marked rule.
      expect(r.clocks.filter((c) => c.basis === 'policy').map((c) => c.id)).toEqual(['acknowledgement']);
    }
  });
});

describe('the returns’ "closed within 3 business days" band counts from the day of receipt (UK.DISP.1.5.1R)', () => {
  // Received Fri 27 Feb 2026 at 17:45 GMT: the third business day following the day of receipt is Wed 4 Mar, so the
  // summary-resolution window closes at 17:00 that day (the deleted DISP 1.5.3G cut-off made it Thu 5 Mar).
  const RECEIVED = '2026-02-27T17:45:00.000Z';
  const p = projector({ ...ReportingOptions.parse({ productGroups: { current_accounts: ['home-delivery'] } }), timeZone: 'Europe/London' });
  const answeredAt = (respondedAt: string): Case => {
    const c = openedCase({}, { receivedAt: RECEIVED });
    return { ...c, status: 'resolved', cycles: c.cycles.map((cy) => ({ ...cy, stoppedAt: respondedAt, reason: 'final_response', respondedAt, decision: 'upheld' })) };
  };
  const band = (c: Case): string[] => {
    const counts = contributions(c, p).counters[itemKey(scopes.returns('UK_FCA_DISP'), 'M#2026-03')] ?? {};
    return (['c3', 'c8', 'cx'] as const).filter((m) => (counts[returnAttr(m, 'current_accounts', 'service_delay')] ?? 0) > 0);
  };

  it('the stored window is the corrected one', () => {
    expect(openedCase({}, { receivedAt: RECEIVED }).cycles[0]!.summaryResolutionEndsAt).toBe('2026-03-04T17:00:00.000Z');
  });

  it('answered Wed 4 Mar 16:30 → within 3 business days; Thu 5 Mar 12:00 → no longer (it was, under the deleted cut-off)', () => {
    expect(band(answeredAt('2026-03-04T16:30:00.000Z'))).toEqual(['c3']);
    expect(band(answeredAt('2026-03-05T12:00:00.000Z'))).toEqual(['c8']);
  });
});
