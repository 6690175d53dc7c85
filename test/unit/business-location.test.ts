// Calendars per case (pure): a regime offers business locations (shipped per jurisdiction, or configured with
// REGIME_LOCATIONS), a case counts on its location's holidays and zone, and a move recounts the running cycle.
import { CalendarConfigError } from '#domain/calendar';
import { computeDeadline } from '#domain/deadlines';
import { InvalidInputError } from '#domain/errors';
import { openCase, relocateClock } from '#domain/lifecycle';
import { atLocation, checkRegimeOptions, getRegime, regimeOfCase } from '#domain/regimes';
import { CASE_ID, intakeBody } from './fixtures';

/** Fri 27 Nov 2026 10:00 GMT: St Andrew's Day (Mon 30 Nov) is a Scottish bank holiday only. */
const RECEIVED = '2026-11-27T10:00:00.000Z';
const NOW = '2026-11-27T12:00:00.000Z';

const psdCase = (calendar?: string) =>
  openCase(intakeBody({ receivedAt: RECEIVED, regime: 'UK_FCA_PSD', ...(calendar ? { calendar } : {}) }), {
    id: CASE_ID,
    reference: 'CMP-2026-000011',
    ownerId: 'alice',
    assignmentRule: 'explicit',
    regime: atLocation(getRegime('UK_FCA_PSD'), calendar),
    actor: 'web-form',
    now: NOW,
  }).case;

describe('business locations', () => {
  it('UK regimes offer England, Wales, Scotland and Northern Ireland; AU regimes every state with its zone; the regime calendar first', () => {
    expect(getRegime('UK_FCA_DISP').locations.map((l) => l.region)).toEqual(['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR']);
    expect(getRegime('AU_ASIC_RG271').locations).toEqual(expect.arrayContaining([{ region: 'AU-WA', timeZone: 'Australia/Perth' }, { region: 'AU-QLD', timeZone: 'Australia/Brisbane' }]));
    expect(atLocation(getRegime('AU_ASIC_RG271'), 'AU-WA').calendar).toMatchObject({ region: 'AU-WA', timeZone: 'Australia/Perth' });
  });

  it('DISP 1.6.2AR(1) in Scotland: Fri 27 Nov → 15th business day Mon 21 Dec (England: Fri 18 Dec)', () => {
    expect(computeDeadline(atLocation(getRegime('UK_FCA_PSD'), 'GB-SCT'), RECEIVED).dueAt).toBe('2026-12-21T17:00:00.000Z');
    expect(computeDeadline(getRegime('UK_FCA_PSD'), RECEIVED).dueAt).toBe('2026-12-18T17:00:00.000Z');
    expect(regimeOfCase(psdCase('GB-SCT')).calendar.region).toBe('GB-SCT');
    expect(psdCase('GB-SCT').finalResponseDueAt).toBe('2026-12-21T17:00:00.000Z');
  });

  it('a calendar the regime does not offer is a 400 naming the choices; a crafted key is not looked up on the object', () => {
    for (const bad of ['GB-SCT', 'constructor', '__proto__', 'toString']) {
      let caught: unknown;
      try {
        atLocation(getRegime('AU_ASIC_RG271'), bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(InvalidInputError);
      expect((caught as InvalidInputError).errors[0]).toMatchObject({ field: 'body.calendar', message: expect.stringContaining('AU-NSW') });
    }
  });

  it('an organisation configures its own locations (REGIME_LOCATIONS); unknown regimes and fake calendars fail at start-up', () => {
    const opts = { locations: { UK_FCA_DISP: [{ region: 'GB-SCT', timeZone: 'Europe/London' }] } };
    expect(getRegime('UK_FCA_DISP', opts).locations.map((l) => l.region)).toEqual(['GB-ENG', 'GB-SCT']);
    expect(() => atLocation(getRegime('UK_FCA_DISP', opts), 'GB-NIR')).toThrow(InvalidInputError);
    expect(() => checkRegimeOptions({ locations: { NOPE: [{ region: 'GB-SCT', timeZone: 'Europe/London' }] } })).toThrow(/REGIME_LOCATIONS names unknown regime/);
    expect(() => getRegime('UK_FCA_DISP', { locations: { UK_FCA_DISP: [{ region: 'GB-XX', timeZone: 'Europe/London' }] } })).toThrow(CalendarConfigError);
  });

  it('moving a running case recounts its cycle on the new calendar, keeping fired checkpoints that stay in the past', () => {
    const c = psdCase();
    const fired = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: k.at } : k)) };
    // 120 working hours: 50 % is Wed 9 Dec 13:00 in England, Thu 10 Dec 13:00 in Scotland (the clock starts a day later).
    const at = '2026-12-10T14:00:00.000Z';
    const out = relocateClock(fired, atLocation(getRegime('UK_FCA_PSD'), 'GB-SCT'), 'Handled by the Glasgow office', 'sam', at);
    expect(out.case).toMatchObject({ calendar: 'GB-SCT', finalResponseDueAt: '2026-12-21T17:00:00.000Z', clock: { calendar: 'GB-SCT' } });
    expect(out.case.cycles[0]!.dueAt).toBe('2026-12-21T17:00:00.000Z');
    expect(out.case.checkpoints.find((k) => k.percent === 50)?.firedAt).toBe(fired.checkpoints.find((k) => k.percent === 50)!.firedAt);
    expect(out.case.checkpoints.filter((k) => k.percent > 50).every((k) => !k.firedAt)).toBe(true);
    expect(out.drafts[0]).toMatchObject({ action: 'clock.recounted', data: { calendar: { from: 'GB-ENG', to: 'GB-SCT' }, previousFinalResponseDueAt: '2026-12-18T17:00:00.000Z', finalResponseDueAt: '2026-12-21T17:00:00.000Z' } });
    // Moved before the Scottish 50 % is reached: that checkpoint is pending again (its timer is re-planned).
    const early = relocateClock(fired, atLocation(getRegime('UK_FCA_PSD'), 'GB-SCT'), undefined, 'sam', '2026-12-10T12:00:00.000Z');
    expect(early.case.checkpoints.find((k) => k.percent === 50)).toEqual({ percent: 50, at: '2026-12-10T13:00:00.000Z' });
    // A stopped clock is not recounted.
    expect(() => relocateClock({ ...c, status: 'closed' }, atLocation(getRegime('UK_FCA_PSD'), 'GB-SCT'), undefined, 'sam', at)).toThrow(/cannot reclassify a complaint that is closed/);
  });
});
