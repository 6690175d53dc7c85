// Business-day calendars and regime deadlines: real holiday data, cut-off, close of business, business time, pauses.
import {
  addBusinessDays,
  addBusinessTime,
  addCalendarTime,
  businessTimeBetween,
  CalendarConfigError,
  closeOfBusiness,
  effectiveReceiptDay,
  holidaysIn,
  isBusinessDay,
  localDay,
  nextBusinessDay,
  type BusinessCalendar,
} from '#domain/calendar';
import { clockDueFrom, computeDeadline, shiftForPause, type Deadline } from '#domain/deadlines';
import { ConflictError } from '#domain/errors';
import { getRegime, listRegimes, REGIME_IDS } from '#domain/regimes';
import { Regime } from '#schemas/regime';

const HOUR = 3_600_000;
const cal = (region: string | null, timeZone: string, closures: string[] = []): BusinessCalendar => ({
  region,
  timeZone,
  weekend: [6, 7],
  businessHours: { open: '09:00', close: '17:00' },
  holidayTypes: ['public'],
  closures,
});
const ENG = cal('GB-ENG', 'Europe/London');
const SCT = cal('GB-SCT', 'Europe/London');
const IE = cal('IE', 'Europe/Dublin');
const NSW = cal('AU-NSW', 'Australia/Sydney');
const US = cal('US', 'America/New_York');

describe('holiday data comes from date-holidays, per country and region', () => {
  it.each([
    ['GB-ENG', ENG, ['2026-04-03', '2026-04-06', '2026-08-31', '2026-12-25', '2026-12-28'], ['2026-08-03', '2026-11-30', '2026-01-02']],
    ['GB-SCT', SCT, ['2026-01-02', '2026-08-03', '2026-11-30', '2026-12-28'], ['2026-04-06', '2026-08-31']],
    // Irish Good Friday and the Monday after a Saturday St Stephen's Day are bank closures, not public holidays.
    ['IE', IE, ['2026-02-02', '2026-03-17', '2026-06-01', '2026-08-03', '2026-10-26', '2026-12-25'], ['2026-04-03', '2026-08-31', '2026-12-28']],
    ['AU-NSW', NSW, ['2026-01-26', '2026-04-03', '2026-04-27', '2026-06-08', '2026-10-05', '2026-12-28'], ['2026-08-03']],
    ['US', US, ['2026-01-19', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-11', '2026-11-26', '2026-12-25'], ['2026-11-27', '2026-12-24']],
  ])('%s', (_region, c, closed, open) => {
    for (const d of closed) expect([d, isBusinessDay(d, c)]).toEqual([d, false]);
    for (const d of open) expect([d, isBusinessDay(d, c)]).toEqual([d, true]);
  });

  it('Scotland and England differ: St Andrew’s Day and the August bank holiday', () => {
    expect(holidaysIn('GB-SCT', 2026)).toEqual(expect.arrayContaining(['2026-08-03', '2026-11-30']));
    expect(holidaysIn('GB-ENG', 2026)).not.toContain('2026-11-30');
    expect(addBusinessDays('2026-11-27', 1, SCT)).toBe('2026-12-01');
    expect(addBusinessDays('2026-11-27', 1, ENG)).toBe('2026-11-30');
  });

  it('bank-only closures (Irish Good Friday, the NSW Bank Holiday) count unless listed as closures', () => {
    expect(isBusinessDay('2026-04-03', IE)).toBe(true);
    expect(isBusinessDay('2026-04-03', { ...IE, holidayTypes: ['public', 'bank'] })).toBe(false);
    expect(isBusinessDay('2026-08-03', cal('AU-NSW', 'Australia/Sydney', ['2026-08-03']))).toBe(false);
  });

  it('refuses unknown regions, zones and impossible calendars', () => {
    expect(() => isBusinessDay('2026-01-05', cal('XX', 'UTC'))).toThrow(CalendarConfigError);
    expect(() => isBusinessDay('2026-01-05', cal('GB-XYZ', 'UTC'))).toThrow(/unknown holiday calendar GB-XYZ: not in this build's holiday table/);
    expect(() => isBusinessDay('2026-01-05', cal(null, 'Mars/Olympus_Mons'))).toThrow(/time zone/);
    expect(() => isBusinessDay('2026-01-05', { ...cal(null, 'UTC'), weekend: [1, 2, 3, 4, 5, 6, 7] })).toThrow(/working weekday/);
    expect(() => isBusinessDay('2026-01-05', { ...cal(null, 'UTC'), businessHours: { open: '17:00', close: '09:00' } })).toThrow(/open before/);
    expect(() => isBusinessDay('2026-01-05', cal(null, 'UTC', ['5 Jan']))).toThrow(/ISO date/);
    expect(() => getRegime('UK_FCA_DISP', { calendars: { UK_FCA_DISP: { region: 'GB-XX' } } })).toThrow(CalendarConfigError);
  });
});

describe('business days', () => {
  it('the day counted from is never itself counted; n = 0 is the day itself', () => {
    expect(addBusinessDays('2026-08-28', 0, ENG)).toBe('2026-08-28');
    expect(addBusinessDays('2026-08-28', 1, ENG)).toBe('2026-09-01'); // Sat, Sun, bank-holiday Monday skipped
    expect(addBusinessDays('2026-08-29', 1, ENG)).toBe('2026-09-01');
    expect(nextBusinessDay('2026-12-24', ENG)).toBe('2026-12-29');
  });

  it('organisation closures are non-business days', () => {
    const closed = cal('GB-ENG', 'Europe/London', ['2026-12-24', '2026-12-29']);
    expect(isBusinessDay('2026-12-24', closed)).toBe(false);
    expect(nextBusinessDay('2026-12-23', closed)).toBe('2026-12-30');
  });

  it('takes an instant as the local date of that instant', () => {
    expect(localDay('2026-01-01T23:30:00Z', NSW)).toBe('2026-01-02');
    expect(isBusinessDay('2026-01-25T20:00:00Z', NSW)).toBe(false); // 07:00 on Australia Day
    expect(closeOfBusiness('2026-07-01', ENG)).toBe('2026-07-01T16:00:00.000Z');
    expect(closeOfBusiness('2026-01-05', ENG)).toBe('2026-01-05T17:00:00.000Z');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => addBusinessDays('2026-01-05', -1, ENG)).toThrow(RangeError);
    expect(() => addBusinessDays('2026-01-05', 1.5, ENG)).toThrow(RangeError);
  });
});

describe('the acknowledgement cut-off (UK organisation policy only: after 17:00 or on a non-business day counts as the next business day)', () => {
  const cutOff = getRegime('UK_FCA_PSD').cutOff;
  it.each([
    ['Friday 16:59 BST', '2026-08-28T15:59:00Z', '2026-08-28'],
    ['Friday 17:00 BST', '2026-08-28T16:00:00Z', '2026-09-01'],
    ['Saturday', '2026-08-29T10:00:00Z', '2026-09-01'],
    ['bank-holiday Monday', '2026-08-31T08:00:00Z', '2026-09-01'],
    ['Tuesday 08:00 BST', '2026-09-01T07:00:00Z', '2026-09-01'],
    ['Monday 17:30 GMT in winter', '2026-01-05T17:30:00Z', '2026-01-06'],
  ])('%s', (_label, receivedAt, day0) => {
    expect(effectiveReceiptDay(receivedAt, ENG, cutOff)).toBe(day0);
  });

  it('without a rule, the local date of receipt is day 0 even on a weekend', () => {
    expect(effectiveReceiptDay('2026-08-29T10:00:00Z', ENG, null)).toBe('2026-08-29');
  });
});

describe('business time (09:00–17:00 local on business days)', () => {
  it('counts only working hours, skipping weekends and holidays', () => {
    expect(businessTimeBetween('2026-08-28T08:00:00Z', '2026-09-01T08:00:00Z', ENG)).toBe(8 * HOUR); // Fri 09:00 → Tue 09:00
    expect(businessTimeBetween('2026-08-28T15:00:00Z', '2026-09-01T10:00:00Z', ENG)).toBe(HOUR + 2 * HOUR);
    expect(businessTimeBetween('2026-09-01T10:00:00Z', '2026-08-28T15:00:00Z', ENG)).toBe(-3 * HOUR);
    expect(businessTimeBetween('2026-08-29T10:00:00Z', '2026-08-31T20:00:00Z', ENG)).toBe(0);
  });

  it('adds working time, ending at close of business rather than the next opening', () => {
    expect(addBusinessTime('2026-08-28T15:00:00Z', HOUR, ENG)).toBe('2026-08-28T16:00:00.000Z');
    expect(addBusinessTime('2026-08-28T15:00:00Z', 2 * HOUR, ENG)).toBe('2026-09-01T09:00:00.000Z'); // 10:00 BST Tuesday
    expect(addBusinessTime('2026-08-29T10:00:00Z', 0, ENG)).toBe('2026-08-29T10:00:00.000Z');
    expect(() => addBusinessTime('2026-08-29T10:00:00Z', -1, ENG)).toThrow(RangeError);
  });

  it('keeps business hours local across DST: 8 h on the Friday before and the Monday after', () => {
    expect(businessTimeBetween('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z', ENG)).toBe(16 * HOUR);
    expect(closeOfBusiness('2026-03-27', ENG)).toBe('2026-03-27T17:00:00.000Z');
    expect(closeOfBusiness('2026-03-30', ENG)).toBe('2026-03-30T16:00:00.000Z');
  });
});

describe('calendar arithmetic keeps the local wall-clock time', () => {
  it.each([
    ['London, spring forward', ENG, '2026-03-20T09:00:00Z', 14, '2026-04-03T08:00:00.000Z'],
    ['London, fall back', ENG, '2026-10-20T08:00:00Z', 14, '2026-11-03T09:00:00.000Z'],
    ['New York, spring forward', US, '2026-03-02T14:00:00Z', 15, '2026-03-17T13:00:00.000Z'],
    ['Sydney, DST starts 4 Oct', NSW, '2026-10-02T00:00:00Z', 30, '2026-10-31T23:00:00.000Z'],
    ['Sydney, DST ends 5 Apr', NSW, '2026-04-01T00:00:00Z', 7, '2026-04-08T01:00:00.000Z'],
  ])('%s', (_label, c, from, days, due) => {
    expect(addCalendarTime(from, { days }, c)).toBe(due);
  });

  it('a wall-clock time that occurs twice resolves to the first; one that never occurs moves forward', () => {
    // 01:30 on 25 Oct 2026 occurs in BST (00:30Z) and again in GMT (01:30Z).
    expect(addCalendarTime('2026-10-24T00:30:00Z', { days: 1 }, ENG)).toBe('2026-10-25T00:30:00.000Z');
    // 01:30 on 29 Mar 2026 does not exist in London: it becomes 02:30 BST (01:30Z).
    expect(addCalendarTime('2026-03-28T01:30:00Z', { days: 1 }, ENG)).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('regimes as code', () => {
  it('ships every required regime, each parsing as the published schema, with cited clocks', () => {
    expect(REGIME_IDS).toEqual(['UK_FCA_DISP', 'UK_FCA_PSD', 'US_CFPB', 'AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP', 'IE_CBI_CPC', 'INTERNAL_STANDARD']);
    for (const r of listRegimes()) {
      expect(Regime.parse(r)).toEqual(r);
      expect(r.timeZone).toBe(r.calendar.timeZone);
      for (const c of r.clocks) expect(c.citation.length).toBeGreaterThan(3);
      if (r.extension.clock) expect(r.clocks.map((c) => c.id)).toContain(r.extension.clock);
    }
  });

  it('only INTERNAL_STANDARD may pause; PSD and CFPB have a fixed extended deadline', () => {
    expect(listRegimes().filter((r) => r.mayPause).map((r) => r.id)).toEqual(['INTERNAL_STANDARD']);
    expect(listRegimes().filter((r) => r.extension.clock).map((r) => [r.id, r.extension.clock])).toEqual([
      ['UK_FCA_PSD', 'extended_final_response'],
      ['US_CFPB', 'extended_final_response'],
    ]);
  });

  it('applies organisation closures and calendar overrides to every regime without touching the registry', () => {
    const opts = { closures: ['2026-12-24'], calendars: { UK_FCA_PSD: { region: 'GB-SCT' } } };
    expect(getRegime('UK_FCA_PSD', opts).calendar).toMatchObject({ region: 'GB-SCT', closures: ['2026-12-24'] });
    expect(getRegime('IE_CBI_CPC', opts).calendar.closures).toEqual(['2026-12-24']);
    expect(getRegime('UK_FCA_PSD').calendar).toMatchObject({ region: 'GB-ENG', closures: [] });
    expect(getRegime('INTERNAL_STANDARD', { internalStandardDays: 10, internalStandardUnit: 'business_days' }).clocks[0]).toMatchObject({ amount: 10, unit: 'business_days' });
  });
});

type Row = {
  name: string;
  regime: string;
  opts?: Parameters<typeof getRegime>[1];
  receivedAt: string;
  want: Partial<Deadline>;
};

/** Worked examples: each expected instant was counted by hand on a calendar (UTC shown; local in the name). */
const WORKED: Row[] = [
  {
    name: 'UK_FCA_PSD (DISP 1.6.2AR(1)): Fri 28 Aug 2026 17:30 BST, before the bank-holiday Monday → day 0 is the Friday of receipt; 15th business day Mon 21 Sep 17:00 BST',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-28T16:30:00Z',
    want: {
      receiptDate: '2026-08-28',
      clockStartsAt: '2026-09-01T08:00:00.000Z',
      basis: 'business_time',
      // The acknowledgement is the organisation's policy: its cut-off acknowledges as if received Tue 1 Sep.
      acknowledgementDueAt: '2026-09-08T16:00:00.000Z',
      dueAt: '2026-09-21T16:00:00.000Z',
      extendedDueAt: '2026-10-19T16:00:00.000Z', // 35th business day
      // 120 working hours from Tue 1 Sep 09:00: 60 h in is Thu 10 Sep 13:00 BST; 90 h Wed 16 Sep 11:00; 108 h Fri 18 Sep 13:00.
      checkpoints: [
        { percent: 50, at: '2026-09-10T12:00:00.000Z' },
        { percent: 75, at: '2026-09-16T10:00:00.000Z' },
        { percent: 90, at: '2026-09-18T12:00:00.000Z' },
        { percent: 100, at: '2026-09-21T16:00:00.000Z' },
      ],
    },
  },
  {
    name: 'UK_FCA_PSD: the same Friday at 16:59 BST → the same day 0 and due time: the time of day does not move a rule clock',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-28T15:59:00Z',
    want: { receiptDate: '2026-08-28', clockStartsAt: '2026-09-01T08:00:00.000Z', dueAt: '2026-09-21T16:00:00.000Z' },
  },
  {
    name: 'UK_FCA_PSD in Scotland: Fri 31 Jul 2026 12:00 BST; the Scottish August bank holiday (Mon 3 Aug) pushes the due date a day past England’s',
    regime: 'UK_FCA_PSD',
    opts: { calendars: { UK_FCA_PSD: { region: 'GB-SCT' } } },
    receivedAt: '2026-07-31T11:00:00Z',
    want: { receiptDate: '2026-07-31', clockStartsAt: '2026-08-04T08:00:00.000Z', dueAt: '2026-08-24T16:00:00.000Z' },
  },
  {
    name: 'UK_FCA_PSD in England: same receipt, Mon 3 Aug is a business day → due Fri 21 Aug 17:00 BST',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-07-31T11:00:00Z',
    want: { clockStartsAt: '2026-08-03T08:00:00.000Z', dueAt: '2026-08-21T16:00:00.000Z' },
  },
  {
    name: 'UK_FCA_PSD extended (exceptional circumstances): checkpoints span the 35 business days',
    regime: 'UK_FCA_PSD',
    receivedAt: '2026-08-28T16:30:00Z',
    want: { dueAt: '2026-10-19T16:00:00.000Z', clock: { id: 'extended_final_response', amount: 35, unit: 'business_days' } },
  },
  {
    name: 'UK_FCA_DISP: Mon 2 Mar 2026 09:00 GMT → eight weeks to Mon 27 Apr 09:00 BST; summary resolution Thu 5 Mar 17:00',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-03-02T09:00:00Z',
    want: {
      receiptDate: '2026-03-02',
      clockStartsAt: '2026-03-02T09:00:00.000Z',
      basis: 'calendar_time',
      summaryResolutionEndsAt: '2026-03-05T17:00:00.000Z',
      acknowledgementDueAt: '2026-03-09T17:00:00.000Z',
      dueAt: '2026-04-27T08:00:00.000Z',
    },
  },
  {
    name: 'UK_FCA_DISP in Scotland: Fri 27 Nov 2026 10:00 GMT; St Andrew’s Day (Mon 30 Nov) moves the summary-resolution window to Thu 3 Dec',
    regime: 'UK_FCA_DISP',
    opts: { calendars: { UK_FCA_DISP: { region: 'GB-SCT' } } },
    receivedAt: '2026-11-27T10:00:00Z',
    want: { summaryResolutionEndsAt: '2026-12-03T17:00:00.000Z', dueAt: '2027-01-22T10:00:00.000Z' },
  },
  {
    name: 'UK_FCA_DISP in England: same receipt → window ends Wed 2 Dec',
    regime: 'UK_FCA_DISP',
    receivedAt: '2026-11-27T10:00:00Z',
    want: { summaryResolutionEndsAt: '2026-12-02T17:00:00.000Z' },
  },
  {
    name: 'IE_CBI_CPC: Fri 30 Jan 2026 11:00 (Dublin); St Brigid’s Day Mon 2 Feb and St Patrick’s Day skipped; due Tue 31 Mar 17:00 IST',
    regime: 'IE_CBI_CPC',
    receivedAt: '2026-01-30T11:00:00Z',
    want: {
      receiptDate: '2026-01-30',
      clockStartsAt: '2026-02-03T09:00:00.000Z',
      acknowledgementDueAt: '2026-02-09T17:00:00.000Z',
      customerUpdatesDueAt: ['2026-03-02T17:00:00.000Z', '2026-03-31T16:00:00.000Z'],
      dueAt: '2026-03-31T16:00:00.000Z',
    },
  },
  {
    name: 'IE_CBI_CPC: no cut-off, a Saturday receipt counts from Monday (day 0 is the Saturday)',
    regime: 'IE_CBI_CPC',
    receivedAt: '2026-03-07T20:00:00Z',
    want: { receiptDate: '2026-03-07', acknowledgementDueAt: '2026-03-13T17:00:00.000Z' },
  },
  {
    name: 'AU_ASIC_RG271 (NSW): Fri 2 Oct 2026 10:00 AEST; acknowledgement skips Labour Day (Mon 5 Oct); 30 days to Sun 1 Nov 10:00 AEDT',
    regime: 'AU_ASIC_RG271',
    receivedAt: '2026-10-02T00:00:00Z',
    want: { acknowledgementDueAt: '2026-10-06T06:00:00.000Z', dueAt: '2026-10-31T23:00:00.000Z', basis: 'calendar_time' },
  },
  {
    name: 'AU_ASIC_RG271_SUPER: 45 calendar days',
    regime: 'AU_ASIC_RG271_SUPER',
    receivedAt: '2026-10-02T00:00:00Z',
    want: { dueAt: '2026-11-15T23:00:00.000Z' },
  },
  {
    name: 'AU_ASIC_RG271_HARDSHIP: 21 calendar days (default notices, hardship)',
    regime: 'AU_ASIC_RG271_HARDSHIP',
    receivedAt: '2026-10-02T00:00:00Z',
    want: { dueAt: '2026-10-22T23:00:00.000Z' },
  },
  {
    name: 'US_CFPB: Wed 1 Jul 2026 15:00 EDT → 15 days Thu 16 Jul; 60 days if marked in progress',
    regime: 'US_CFPB',
    receivedAt: '2026-07-01T19:00:00Z',
    want: { dueAt: '2026-07-16T19:00:00.000Z', extendedDueAt: '2026-08-30T19:00:00.000Z' },
  },
  {
    name: 'INTERNAL_STANDARD: 10 business days on the English calendar with closures on 24 and 31 Dec',
    regime: 'INTERNAL_STANDARD',
    opts: {
      internalStandardDays: 10,
      internalStandardUnit: 'business_days',
      closures: ['2026-12-24', '2026-12-31'],
      calendars: { INTERNAL_STANDARD: { region: 'GB-ENG', timeZone: 'Europe/London' } },
    },
    receivedAt: '2026-12-21T10:00:00Z',
    want: { receiptDate: '2026-12-21', clockStartsAt: '2026-12-22T09:00:00.000Z', dueAt: '2027-01-11T17:00:00.000Z' },
  },
];

describe('worked examples per regime', () => {
  it.each(WORKED)('$name', ({ regime, opts, receivedAt, want, name }) => {
    const extended = name.includes('extended');
    expect(computeDeadline(getRegime(regime, opts), receivedAt, { extended })).toMatchObject(want);
  });

  it('every business-day deadline falls at close of business on a business day', () => {
    for (const { regime, opts, receivedAt } of WORKED) {
      const r = getRegime(regime, opts);
      const d = computeDeadline(r, receivedAt);
      for (const at of [d.acknowledgementDueAt, d.summaryResolutionEndsAt, ...(d.basis === 'business_time' ? [d.dueAt] : [])]) {
        if (!at) continue;
        expect(isBusinessDay(at, r.calendar)).toBe(true);
        expect(closeOfBusiness(at, r.calendar)).toBe(at);
      }
    }
  });

  it('an outcome letter is due 5 business days after the investigation concludes (IE)', () => {
    expect(clockDueFrom(getRegime('IE_CBI_CPC'), 'outcome_notification', '2026-03-16T12:00:00Z')).toBe('2026-03-24T17:00:00.000Z'); // 17 Mar skipped
    expect(() => clockDueFrom(getRegime('UK_FCA_DISP'), 'outcome_notification', '2026-03-16T12:00:00Z')).toThrow(ConflictError);
  });

  it('only a regime with a fixed extended deadline can be extended', () => {
    expect(() => computeDeadline(getRegime('UK_FCA_DISP'), '2026-03-02T09:00:00Z', { extended: true })).toThrow(ConflictError);
    expect(() => computeDeadline(getRegime('IE_CBI_CPC'), '2026-03-02T09:00:00Z', { extended: true })).toThrow(/no fixed extended deadline/);
    expect(() => computeDeadline(getRegime('UK_FCA_DISP'), 'yesterday')).toThrow(RangeError);
  });
});

describe('shiftForPause', () => {
  it('moves every pending due time of a calendar clock by the paused time; fired checkpoints and past times stay', () => {
    const r = getRegime('INTERNAL_STANDARD');
    const d = computeDeadline(r, '2026-06-01T09:00:00Z'); // 28 days: 50 % on 15 Jun
    const fired = { ...d, checkpoints: d.checkpoints.map((c) => (c.percent === 50 ? { ...c, firedAt: c.at } : c)) };
    const paused = '2026-06-16T09:00:00Z';
    const out = shiftForPause(fired, paused, '2026-06-19T09:00:00Z', r);
    expect(out.dueAt).toBe('2026-07-02T09:00:00.000Z');
    expect(out.checkpoints[0]).toEqual(fired.checkpoints[0]);
    expect(out.checkpoints.slice(1).map((c) => Date.parse(c.at) - Date.parse(d.checkpoints.find((x) => x.percent === c.percent)!.at))).toEqual([72 * HOUR, 72 * HOUR, 72 * HOUR]);
    expect(out.startedAt).toBe(d.startedAt);
  });

  it('moves business-day clocks by the business time paused and keeps them in working hours', () => {
    const r = getRegime('INTERNAL_STANDARD', { internalStandardDays: 10, internalStandardUnit: 'business_days', calendars: { INTERNAL_STANDARD: { region: 'GB-ENG', timeZone: 'Europe/London' } } });
    const d = computeDeadline(r, '2026-06-01T08:00:00Z'); // Mon 09:00 BST; due Mon 15 Jun 17:00 BST
    expect(d.dueAt).toBe('2026-06-15T16:00:00.000Z');
    // Paused Wed 10:00 → resumed Fri 10:00 BST: 16 working hours, so everything pending moves two business days.
    const out = shiftForPause(d, '2026-06-03T09:00:00Z', '2026-06-05T09:00:00Z', r);
    expect(out.dueAt).toBe('2026-06-17T16:00:00.000Z');
    expect(businessTimeBetween(d.checkpoints[0]!.at, out.checkpoints[0]!.at, r.calendar)).toBe(16 * HOUR);
    // A pause over a weekend costs no business time.
    expect(shiftForPause(d, '2026-06-05T16:00:00Z', '2026-06-08T07:00:00Z', r).dueAt).toBe(d.dueAt);
    // Stored case fields move the same way.
    const asCase = { finalResponseDueAt: d.dueAt, checkpoints: d.checkpoints };
    expect(shiftForPause(asCase, '2026-06-03T09:00:00Z', '2026-06-05T09:00:00Z', r).finalResponseDueAt).toBe('2026-06-17T16:00:00.000Z');
  });

  it('refuses a regime whose clock may not pause, and a resume before the pause', () => {
    const disp = getRegime('UK_FCA_DISP');
    const d = computeDeadline(disp, '2026-06-01T09:00:00Z');
    expect(() => shiftForPause(d, '2026-06-02T09:00:00Z', '2026-06-03T09:00:00Z', disp)).toThrow(ConflictError);
    const internal = getRegime('INTERNAL_STANDARD');
    expect(() => shiftForPause(d, '2026-06-03T09:00:00Z', '2026-06-02T09:00:00Z', internal)).toThrow(RangeError);
  });
});
