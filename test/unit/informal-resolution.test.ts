// ASIC RG 271 (AU.RG271.INFORMAL-5BD): a complaint resolved to the complainant's complete satisfaction by the end of the
// fifth business day after the day of receipt may close without a written IDR response, unless the complainant asks
// for one. Worked examples on the NSW and Victorian calendars (the case's business location chooses).
import { ConflictError, InvalidInputError } from '#domain/errors';
import { close, openCase } from '#domain/lifecycle';
import { atLocation, getRegime } from '#domain/regimes';
import type { Case } from '#schemas/complaint';
import { CASE_ID, intakeBody } from './fixtures';

/** Fri 2 Oct 2026 10:00 AEST. NSW: Labour Day Mon 5 Oct closed → 5th business day Mon 12 Oct (17:00 AEDT = 06:00Z). */
const RECEIVED = '2026-10-02T00:00:00.000Z';
const NOW = '2026-10-14T00:00:00.000Z';
const ROOT_CAUSE = { category: 'billing', description: 'Duplicate direct debit' };

const auCase = (regimeId = 'AU_ASIC_RG271', calendar?: string): Case =>
  openCase(intakeBody({ receivedAt: RECEIVED, regime: regimeId, ...(calendar ? { calendar } : {}) }), {
    id: CASE_ID,
    reference: 'CMP-2026-000009',
    ownerId: 'alice',
    assignmentRule: 'explicit',
    regime: atLocation(getRegime(regimeId), calendar),
    actor: 'web-form',
    now: NOW,
  }).case;

const informal = (resolvedAt: string, writtenResponseRequested = false) => ({
  followUpAction: 'Refund the duplicate debit',
  rootCause: ROOT_CAUSE,
  informalResolution: { resolvedAt, writtenResponseRequested, note: 'Customer confirmed by phone that the refund resolves the complaint' },
});

describe('RG 271: closing without a written IDR response (AU.RG271.INFORMAL-5BD)', () => {
  it('NSW: resolved on Mon 12 Oct 16:00 AEDT, before close of business on the 5th business day → closed, audited as no written response required', () => {
    const c = auCase();
    const out = close(c, informal('2026-10-12T05:00:00Z'), 'alice', NOW, { regime: getRegime('AU_ASIC_RG271') });
    expect(out.case.status).toBe('closed');
    expect(out.case.informalResolution).toMatchObject({ resolvedAt: '2026-10-12T05:00:00.000Z', writtenResponseRequested: false });
    expect(out.drafts[0]).toMatchObject({
      action: 'complaint.closed',
      data: { writtenResponse: 'not_required', windowEndsAt: '2026-10-12T06:00:00.000Z', rule: 'AU.RG271.INFORMAL-5BD', citation: expect.stringContaining('RG 271') },
    });
  });

  it('NSW: resolved after 17:00 on the 5th business day → 409: a written IDR response is required', () => {
    expect(() => close(auCase(), informal('2026-10-12T06:30:00Z'), 'alice', NOW, { regime: getRegime('AU_ASIC_RG271') })).toThrow(/written IDR response is required/);
  });

  it('Victoria (AFL Grand Final Friday is in September; Labour Day 5 Oct is a working day): the 5th business day is Fri 9 Oct', () => {
    const vic = atLocation(getRegime('AU_ASIC_RG271'), 'AU-VIC');
    const c = auCase('AU_ASIC_RG271', 'AU-VIC');
    expect(close(c, informal('2026-10-09T05:59:00Z'), 'alice', NOW, { regime: vic }).case.status).toBe('closed');
    expect(() => close(c, informal('2026-10-11T23:00:00Z'), 'alice', NOW, { regime: vic })).toThrow(ConflictError);
  });

  it('every RG 271 variant offers the path (superannuation, hardship)', () => {
    for (const id of ['AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP']) {
      expect(close(auCase(id), informal('2026-10-06T01:00:00Z'), 'alice', NOW, { regime: getRegime(id) }).case.status).toBe('closed');
    }
  });

  it('the complainant asked for a written response → 409; a time outside receipt..now → 400; another regime → 409', () => {
    expect(() => close(auCase(), informal('2026-10-06T01:00:00Z', true), 'alice', NOW, { regime: getRegime('AU_ASIC_RG271') })).toThrow(/asked for a written response/);
    expect(() => close(auCase(), informal('2026-10-01T01:00:00Z'), 'alice', NOW, { regime: getRegime('AU_ASIC_RG271') })).toThrow(InvalidInputError);
    expect(() => close(auCase(), informal('2026-10-15T01:00:00Z'), 'alice', NOW, { regime: getRegime('AU_ASIC_RG271') })).toThrow(InvalidInputError);
    const uk = openCase(intakeBody({ receivedAt: RECEIVED }), { id: CASE_ID, reference: 'CMP-2026-000010', ownerId: 'alice', assignmentRule: 'explicit', regime: getRegime('UK_FCA_DISP'), actor: 'web-form', now: NOW }).case;
    expect(() => close(uk, informal('2026-10-02T03:00:00Z'), 'alice', NOW, { regime: getRegime('UK_FCA_DISP') })).toThrow(/ASIC RG 271 path/);
  });
});
