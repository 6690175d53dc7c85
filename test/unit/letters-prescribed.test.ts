// Every letter of every regime carries, verbatim, the wording its rules prescribe (DISP 1 Annex 3R, quoted in the
// fixture from the FCA Handbook) and the sentences our letters use to meet each rule's required content, filled from
// the case (the delay reason and expected date, the extension's reasons). Missing case facts are refused, not invented.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HandlebarsLetterRenderer } from '#adapters/letters/handlebars-letters';
import { ConflictError } from '#domain/errors';
import { extendClock, openCase, recordDelay } from '#domain/lifecycle';
import { ANNEX_3R, DEFAULT_LETTERHEAD, LETTER_RULES, annex3rWording, letterModel, letterRules, profileOf } from '#domain/letters';
import { ConfigError, loadConfig } from '#http/config';
import { getRegime, listRegimes } from '#domain/regimes';
import type { Case } from '#schemas/complaint';
import { LETTER_KINDS, type LetterKind } from '#schemas/letters';
import type { Resolution } from '#schemas/resolution';
import { CASE_ID, NOW, intakeBody } from './fixtures';

interface RuleFixture {
  source: string;
  version: string;
  verified: boolean;
  prescribed?: string[];
  verifiedPart?: string[];
  sentences?: string[];
}
const FIXTURE = JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'regulatory', 'prescribed-letters.json'), 'utf8')) as Record<string, RuleFixture>;

const renderer = new HandlebarsLetterRenderer();
const REASON = 'we are waiting for the carrier’s delivery records for 12 and 19 February.';
const EXTENSION_REASON = 'The card scheme has not yet returned the chargeback evidence we asked for on 3 March.';

const caseIn = (regimeId: string, opts: { delay?: boolean; extend?: boolean } = {}): Case => {
  const regime = getRegime(regimeId);
  let c = openCase(intakeBody({ receivedAt: NOW, regime: regimeId }), { id: CASE_ID, reference: 'CMP-2026-000007', ownerId: 'alice', assignmentRule: 'explicit', regime, actor: 'web-form', now: NOW }).case;
  if (opts.extend ?? regimeId === 'UK_FCA_PSD') c = extendClock(c, regime, EXTENSION_REASON, 'alice', NOW).case;
  if (opts.delay ?? true) c = recordDelay(c, regime, { reason: REASON, expectedBy: '2026-04-17' }, 'alice', NOW).case;
  return c;
};

const resolution = (over: Partial<Resolution> = {}): Resolution => ({
  id: '01JABCDEFGHJKMNPQRSTVWXYZ5',
  caseId: CASE_ID,
  round: 1,
  decision: 'not_upheld',
  rootCause: { category: 'carrier_capacity', description: 'Carrier short of drivers' },
  finalResponse: 'We reviewed the delivery logs and your account history.',
  status: 'approved',
  proposedBy: 'alice',
  proposedAt: NOW,
  ...over,
});

const render = (kind: LetterKind, c: Case, r: Resolution | undefined = resolution(), letterhead = DEFAULT_LETTERHEAD) => {
  const regime = getRegime(c.regime);
  const model = letterModel({ kind, case: c, regime, resolution: r, letterhead, now: NOW });
  return { model, text: renderer.render(kind, profileOf(regime.id).family, model).text };
};

/** A fixture sentence with its {placeholders} filled from the letter's own merge model (which took them from the case). */
const fill = (sentence: string, model: Record<string, unknown>): string => {
  const m = model as { case: { product: string; receivedOn: string }; deadline: { period: string; citation: string }; delay: { reason: string; expectedOn: string } | null };
  const values: Record<string, string | undefined> = {
    product: m.case.product,
    receivedOn: m.case.receivedOn,
    period: m.deadline.period,
    finalCitation: m.deadline.citation,
    reason: m.delay?.reason,
    expectedOn: m.delay?.expectedOn,
    extensionReason: m.delay?.reason,
    extendedDueOn: m.delay?.expectedOn,
  };
  return sentence.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`no value for {${k}}`);
    return v;
  });
};

const regimes = listRegimes().map((r) => r.id);
const cells = regimes.flatMap((regime) => LETTER_KINDS.map((kind) => ({ regime, kind })));

describe('every letter, every regime: the prescribed sentences verbatim', () => {
  it.each(cells)('$regime $kind', ({ regime, kind }) => {
    const { model, text } = render(kind, caseIn(regime));
    const rules = letterRules(regime, kind);
    expect(rules.length).toBeGreaterThan(0);
    // Joined lines: a sentence may not be split by the template's own line breaks.
    const flat = text.replace(/\n(?!\n)/g, ' ');
    for (const r of rules) {
      const fx = FIXTURE[r.id];
      expect({ rule: r.id, fixture: Boolean(fx) }).toEqual({ rule: r.id, fixture: true });
      expect({ rule: r.id, version: fx!.version }).toEqual({ rule: r.id, version: r.version });
      // Annex 3R variants other than (1) apply only when the resolution chooses them (see below).
      const appliesNow = !r.id.startsWith('UK.DISP.1.ANNEX3R-') || r.id === 'UK.DISP.1.ANNEX3R-1';
      if (!appliesNow) continue;
      for (const p of fx!.prescribed ?? []) expect({ rule: r.id, has: flat.includes(p) || text.includes(p), p }).toEqual({ rule: r.id, has: true, p });
      for (const sentence of fx!.sentences ?? []) {
        const want = fill(sentence, model);
        expect({ rule: r.id, has: flat.includes(want), want }).toEqual({ rule: r.id, has: true, want });
      }
    }
  });

  it('the Annex 3R(1) paragraphs in the code are the fixture’s quote of the Handbook, character for character', () => {
    expect(ANNEX_3R.not_waived.paragraphs).toEqual(FIXTURE['UK.DISP.1.ANNEX3R-1']!.prescribed);
    // Each paragraph is its own paragraph in the UK final response and the summary resolution communication.
    for (const regime of ['UK_FCA_DISP', 'UK_FCA_PSD']) {
      for (const kind of ['final_response', 'summary_resolution'] as const) {
        const { text } = render(kind, caseIn(regime));
        for (const p of ANNEX_3R.not_waived.paragraphs!) expect(text.split('\n\n')).toContain(p);
      }
    }
  });

  it('a variant whose Annex 3R wording is not verified is refused (409), never printed from memory', () => {
    for (const variant of ['out_of_time_not_waived', 'waived'] as const) {
      expect(FIXTURE[ANNEX_3R[variant].ruleId]!.verified).toBe(false);
      expect(() => render('final_response', caseIn('UK_FCA_DISP'), resolution({ timeLimitWording: variant }))).toThrow(ConflictError);
      expect(() => render('summary_resolution', caseIn('UK_FCA_PSD'), resolution({ timeLimitWording: variant }))).toThrow(/not verified in this build/);
    }
    // The other jurisdictions have no Annex 3R: the variant changes nothing there.
    expect(render('final_response', caseIn('IE_CBI_CPC'), resolution({ timeLimitWording: 'waived' })).text).toContain('Financial Services and Pensions Ombudsman');
  });

  it('a variant the organisation configured (LETTER_ANNEX_3R_WORDING, copied from the Handbook by compliance) is printed word for word, each paragraph its own; the verified (1) is never replaced', () => {
    // Placeholder paragraphs: the test proves the mechanism, not the Handbook's words (those are compliance's to copy).
    const configured = { out_of_time_not_waived: ['Configured paragraph one.', 'Configured paragraph two.'], waived: ['Configured waiver paragraph.'], not_waived: ['Never printed.'] };
    const letterhead = { ...DEFAULT_LETTERHEAD, annex3r: configured };
    for (const variant of ['out_of_time_not_waived', 'waived'] as const) {
      for (const [kind, regime] of [['final_response', 'UK_FCA_DISP'], ['summary_resolution', 'UK_FCA_PSD']] as const) {
        const paragraphs = render(kind, caseIn(regime), resolution({ timeLimitWording: variant }), letterhead).text.split('\n\n');
        for (const p of configured[variant]) expect(paragraphs).toContain(p);
      }
    }
    const standard = render('final_response', caseIn('UK_FCA_DISP'), resolution({ timeLimitWording: 'not_waived' }), letterhead).text;
    expect(standard).not.toContain('Never printed.');
    for (const p of ANNEX_3R.not_waived.paragraphs!) expect(standard.split('\n\n')).toContain(p);
    // Only the setting's own keys are wording: an inherited one is not.
    expect(() => annex3rWording('waived', Object.create({ waived: ['inherited'] }) as Record<string, string[]>)).toThrow(ConflictError);
    expect(annex3rWording('waived', configured)).toEqual(configured.waived);
  });

  it('the setting is validated: paragraphs as a list of text, only the unverified variants', () => {
    const base = { TABLE_NAME: 'complaints' };
    expect(loadConfig({ ...base, LETTER_ANNEX_3R_WORDING: JSON.stringify({ waived: ['A paragraph.'] }) }).LETTER_ANNEX_3R_WORDING).toEqual({ waived: ['A paragraph.'] });
    expect(() => loadConfig({ ...base, LETTER_ANNEX_3R_WORDING: JSON.stringify({ not_waived: ['replace the verified one'] }) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LETTER_ANNEX_3R_WORDING: JSON.stringify({ waived: 'one string' }) })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, LETTER_ANNEX_3R_WORDING: '{not json' })).toThrow(ConfigError);
  });

  it('letters are precompiled at build: a deployment that still names a template directory is refused, not silently ignored', () => {
    expect(() => loadConfig({ TABLE_NAME: 'complaints', LETTER_TEMPLATES_DIR: '/opt/letters' })).toThrow(/LETTER_TEMPLATES_DIR: no longer read at run time.*npm run letters:precompile/);
    expect(loadConfig({ TABLE_NAME: 'complaints' }).LETTER_TEMPLATES_DIR).toBeUndefined();
  });

  it('a holding letter needs the reason and expected date on the case (409 naming what to record); PSD needs the extension', () => {
    expect(() => render('holding', caseIn('UK_FCA_DISP', { delay: false }))).toThrow(/record both first \(POST …\/clock \{ action: "delay"/);
    expect(() => render('holding', caseIn('IE_CBI_CPC', { delay: false }))).toThrow(ConflictError);
    expect(() => render('holding', caseIn('AU_ASIC_RG271', { delay: false }))).toThrow(ConflictError);
    expect(() => render('holding', caseIn('UK_FCA_PSD', { extend: false, delay: false }))).toThrow(/extend the clock first/);
    // PSD without a recorded delay: the date of the final response is the 35th business day after the day of receipt
    // (Mon 2 Mar 2026; Good Friday 3 Apr and Easter Monday 6 Apr closed → Wed 22 Apr).
    const psd = render('holding', caseIn('UK_FCA_PSD', { delay: false })).text;
    expect(psd).toContain(`The reasons for the delay are: ${EXTENSION_REASON}`);
    expect(psd).toContain('You will receive our final response by 22 April 2026 (DISP 1.6.2AR(2)).');
  });

  it('the AFCA referral states both time limits; Irish letters cite the Consumer Protection Code 2025', () => {
    const au = render('final_response', caseIn('AU_ASIC_RG271')).text.replace(/\n(?!\n)/g, ' ');
    expect(au).toContain('within six years of the date when you first became aware (or should reasonably have become aware) that you suffered the loss');
    const ie = render('acknowledgement', caseIn('IE_CBI_CPC')).text;
    expect(ie).toContain('Consumer Protection Code 2025');
    expect(ie).not.toContain('2012');
  });

  it('every letter rule is cited with a version date', () => {
    for (const r of Object.values(LETTER_RULES)) expect([r.id, /^\d{4}-\d{2}-\d{2}$/.test(r.version)]).toEqual([r.id, true]);
  });
});
