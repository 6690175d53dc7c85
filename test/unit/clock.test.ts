// The clock's pure changes: pause, resume (shiftForPause), extend, and the receivedAt backdating bound.
import * as life from '#domain/lifecycle';
import { ConflictError, InvalidInputError } from '#domain/errors';
import { computeDeadline } from '#domain/deadlines';
import { getRegime } from '#domain/regimes';
import { Case as CaseSchema, ClockActionBody, type Case } from '#schemas/complaint';
import { at, DAY, intakeBody, NOW, openedCase } from './fixtures';

const HOUR = 3_600_000;
const INTERNAL = getRegime('INTERNAL_STANDARD');
const PSD = getRegime('UK_FCA_PSD');
const DISP = getRegime('UK_FCA_DISP');
const WHY = 'Card scheme evidence outside our control is late';

/** An open case under `regime`, received at NOW, as intake builds it. */
const caseUnder = (regimeId: string): Case => {
  const regime = getRegime(regimeId);
  return life.openCase(intakeBody({ receivedAt: NOW, regime: regimeId }), {
    id: openedCase().id,
    reference: 'CMP-2026-000001',
    ownerId: 'alice',
    assignmentRule: 'explicit',
    regime,
    actor: 'web-form',
    now: NOW,
  }).case;
};

const conflict = (run: () => unknown): ConflictError => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConflictError);
    return err as ConflictError;
  }
  throw new Error('expected a ConflictError');
};

describe('pauseClock', () => {
  it('records pausedAt and the reason, audits clock.paused, moves no due time', () => {
    const c = caseUnder('INTERNAL_STANDARD');
    const { case: p, drafts } = life.pauseClock(c, INTERNAL, 'waiting for the customer', 'alice', at(NOW, DAY));
    expect(p.clock).toMatchObject({ pausedAt: at(NOW, DAY), pauseReason: 'waiting for the customer' });
    expect(p.finalResponseDueAt).toBe(c.finalResponseDueAt);
    expect(drafts).toEqual([{ actor: 'alice', action: 'clock.paused', data: expect.objectContaining({ reason: 'waiting for the customer', pausedAt: at(NOW, DAY), cycle: 1 }) }]);
    expect(CaseSchema.safeParse(p).success).toBe(true);
  });

  it('refuses a regime that may not pause, naming it', () => {
    const err = conflict(() => life.pauseClock(caseUnder('UK_FCA_DISP'), DISP, 'waiting', 'alice', NOW));
    expect(err.message).toMatch(/UK_FCA_DISP/);
    expect(err.details).toMatchObject({ regime: 'UK_FCA_DISP' });
  });

  it('refuses a second pause and a stopped clock', () => {
    const paused = life.pauseClock(caseUnder('INTERNAL_STANDARD'), INTERNAL, 'waiting', 'alice', NOW).case;
    expect(conflict(() => life.pauseClock(paused, INTERNAL, 'again', 'alice', at(NOW, HOUR))).message).toMatch(/already paused/);
    const c = caseUnder('INTERNAL_STANDARD');
    const stopped = { ...c, cycles: c.cycles.map((cy) => ({ ...cy, stoppedAt: NOW })) };
    expect(conflict(() => life.pauseClock(stopped, INTERNAL, 'x', 'alice', NOW)).message).toMatch(/stopped/);
  });

  it('judges risk at the pause while paused', () => {
    const c = caseUnder('INTERNAL_STANDARD');
    const paused = life.pauseClock(c, INTERNAL, 'waiting', 'alice', at(NOW, DAY)).case;
    // Long after the due date, a paused clock still shows the risk it had when it stopped.
    expect(life.present(paused, at(NOW, 60 * DAY)).risk).toBe('on_track');
  });
});

describe('resumeClock', () => {
  it('shifts the due date, the current cycle and every unfired checkpoint by the paused time; clears the pause', () => {
    const c = caseUnder('INTERNAL_STANDARD');
    const fired = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: k.at } : k)) };
    const paused = life.pauseClock(fired, INTERNAL, 'waiting', 'alice', at(NOW, 15 * DAY)).case;
    const { case: r, drafts } = life.resumeClock(paused, INTERNAL, 'customer replied', 'sam', at(NOW, 18 * DAY + 2 * HOUR));
    const shift = 3 * DAY + 2 * HOUR;
    expect(Date.parse(r.finalResponseDueAt) - Date.parse(c.finalResponseDueAt)).toBe(shift);
    expect(r.cycles.at(-1)?.dueAt).toBe(r.finalResponseDueAt);
    for (const k of r.checkpoints) {
      const before = c.checkpoints.find((x) => x.percent === k.percent)!;
      expect(Date.parse(k.at) - Date.parse(before.at)).toBe(k.percent === 50 ? 0 : shift);
    }
    expect(r.clock?.pausedAt).toBeUndefined();
    expect(r.clock?.pauseReason).toBeUndefined();
    expect(r.clock?.pausedMs).toBe(shift);
    expect(drafts[0]).toMatchObject({ action: 'clock.resumed', data: { reason: 'customer replied', pausedFor: 'PT74H', pausedForMs: shift, finalResponseDueAt: { from: c.finalResponseDueAt, to: r.finalResponseDueAt } } });
    expect(CaseSchema.safeParse(r).success).toBe(true);
  });

  it('counts business time for a business-day INTERNAL_STANDARD', () => {
    const regime = getRegime('INTERNAL_STANDARD', { internalStandardUnit: 'business_days', internalStandardDays: 10 });
    const c = life.openCase(intakeBody({ receivedAt: NOW, regime: 'INTERNAL_STANDARD' }), { id: openedCase().id, reference: 'CMP-2026-000001', ownerId: 'alice', assignmentRule: 'explicit', regime, actor: 'x', now: NOW }).case;
    // Paused Friday 17:00 UTC → resumed Monday 09:00 UTC: no business time passed, nothing moves.
    const paused = life.pauseClock(c, regime, 'waiting', 'alice', '2026-03-06T17:00:00.000Z').case;
    const r = life.resumeClock(paused, regime, 'back', 'alice', '2026-03-09T09:00:00.000Z').case;
    expect(r.finalResponseDueAt).toBe(c.finalResponseDueAt);
  });

  it('refuses a clock that is not paused', () => {
    expect(conflict(() => life.resumeClock(caseUnder('INTERNAL_STANDARD'), INTERNAL, 'x', 'alice', NOW)).message).toMatch(/not paused/);
  });
});

describe('extendClock', () => {
  it('moves UK_FCA_PSD from 15 to 35 business days with new checkpoints, recorded and audited', () => {
    const c = caseUnder('UK_FCA_PSD');
    expect(c.clock).toMatchObject({ amount: 15, unit: 'business_days' });
    const want = computeDeadline(PSD, NOW, { extended: true });
    const { case: e, drafts } = life.extendClock(c, PSD, WHY, 'alice', at(NOW, DAY));
    expect(e.finalResponseDueAt).toBe(want.dueAt);
    expect(e.clock?.extendedDueAt).toBeUndefined();
    expect(e.finalResponseDueAt).toBe(c.clock?.extendedDueAt);
    expect(e.checkpoints).toEqual(want.checkpoints);
    expect(e.cycles.at(-1)?.dueAt).toBe(want.dueAt);
    expect(e.clock).toMatchObject({ clockId: 'extended_final_response', amount: 35, extendedAt: at(NOW, DAY), extensionReason: WHY });
    expect(drafts[0]).toMatchObject({ action: 'clock.extended', data: { justification: WHY, from: c.finalResponseDueAt, to: want.dueAt, citation: 'DISP 1.6.2AR(2)' } });
    expect(CaseSchema.safeParse(e).success).toBe(true);
  });

  it('extends US_CFPB to 60 calendar days', () => {
    const e = life.extendClock(caseUnder('US_CFPB'), getRegime('US_CFPB'), WHY, 'alice', NOW).case;
    expect(e.clock).toMatchObject({ amount: 60, unit: 'calendar_days' });
  });

  it('allows one extension per cycle, and a new cycle may extend again', () => {
    const e = life.extendClock(caseUnder('UK_FCA_PSD'), PSD, WHY, 'alice', NOW).case;
    expect(conflict(() => life.extendClock(e, PSD, WHY, 'alice', NOW)).message).toMatch(/once per cycle/);
    const closed = life.close(e, { followUpAction: 'x', rootCause: { category: 'a', description: 'b' } }, 'alice', at(NOW, DAY)).case;
    const reopened = life.reopen(closed, 'disputed', PSD, 'alice', at(NOW, 2 * DAY)).case;
    expect(life.extendClock(reopened, PSD, WHY, 'alice', at(NOW, 2 * DAY)).case.cycles.at(-1)?.dueAt).toBe(computeDeadline(PSD, at(NOW, 2 * DAY), { extended: true }).dueAt);
  });

  it('refuses regimes without a fixed extended deadline, naming them', () => {
    expect(conflict(() => life.extendClock(caseUnder('UK_FCA_DISP'), DISP, WHY, 'alice', NOW)).message).toMatch(/UK_FCA_DISP/);
    expect(conflict(() => life.extendClock(caseUnder('IE_CBI_CPC'), getRegime('IE_CBI_CPC'), WHY, 'alice', NOW)).details).toMatchObject({ regime: 'IE_CBI_CPC' });
  });

  it('refuses an extension once the original deadline has passed', () => {
    const c = caseUnder('UK_FCA_PSD');
    expect(conflict(() => life.extendClock(c, PSD, WHY, 'alice', at(c.finalResponseDueAt, 1))).message).toMatch(/has passed/);
  });
});

describe('ClockActionBody', () => {
  it('trims the reason and requires 1..2000 characters, 20+ for extend', () => {
    expect(ClockActionBody.parse({ action: 'pause', reason: '  wait  ' })).toEqual({ action: 'pause', reason: 'wait' });
    expect(ClockActionBody.safeParse({ action: 'pause', reason: '   ' }).success).toBe(false);
    expect(ClockActionBody.safeParse({ action: 'resume', reason: 'x'.repeat(2001) }).success).toBe(false);
    expect(ClockActionBody.safeParse({ action: 'extend', reason: ' short reason ' }).success).toBe(false);
    expect(ClockActionBody.safeParse({ action: 'extend', reason: WHY }).success).toBe(true);
    expect(ClockActionBody.safeParse({ action: 'stop', reason: WHY }).success).toBe(false);
    expect(ClockActionBody.safeParse({ action: 'pause', reason: 'x', extra: 1 }).success).toBe(false);
  });
});

describe('receivedAt bound', () => {
  it('allows twice the final-response window (capped at a year) and rejects older receipts on body.receivedAt', () => {
    // UK_FCA_DISP: 8 weeks → up to 16 weeks back (± an hour across a DST change).
    expect(Math.abs(life.maxBackdatingMs(DISP, NOW) - 112 * DAY)).toBeLessThanOrEqual(2 * HOUR);
    expect(life.clockStart({ receivedAt: at(NOW, -100 * DAY) }, NOW, DISP)).toBe(at(NOW, -100 * DAY));
    let caught: unknown;
    try {
      life.clockStart({ receivedAt: at(NOW, -120 * DAY) }, NOW, DISP);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect((caught as InvalidInputError).errors[0]?.field).toBe('body.receivedAt');
    // PSD measures the extended 35 business days; nothing ever goes beyond a year.
    expect(life.maxBackdatingMs(PSD, NOW)).toBeGreaterThan(2 * 35 * DAY);
    for (const id of ['UK_FCA_DISP', 'UK_FCA_PSD', 'US_CFPB', 'AU_ASIC_RG271', 'IE_CBI_CPC', 'INTERNAL_STANDARD']) {
      expect(life.maxBackdatingMs(getRegime(id), NOW)).toBeLessThanOrEqual(life.MAX_BACKDATING_MS);
    }
  });
});
