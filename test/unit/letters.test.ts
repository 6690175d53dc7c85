// Letters: every template renders for every regime with no missing merge field, none admits liability, the HTML is
// escaped and the text sanitised, and the regime's deadline and referral rights appear where the rule asks for them.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extendClock, openCase, recordDelay } from '#domain/lifecycle';
import { getRegime, listRegimes } from '#domain/regimes';
import { ADMISSION_PHRASES, DEFAULT_LETTERHEAD, letterModel, plain, profileOf } from '#domain/letters';
import { HandlebarsLetterRenderer } from '#adapters/letters/handlebars-letters';
import { LETTER_KINDS, type LetterKind } from '#schemas/letters';
import type { Case } from '#schemas/complaint';
import type { Resolution } from '#schemas/resolution';
import { CASE_ID, NOW, intakeBody } from './fixtures';
import { HTML_OPTIONS, LETTERS_DIR, precompiledSource } from '../../scripts/precompile-letters';

const renderer = new HandlebarsLetterRenderer();

/** A case of the regime with what a holding letter needs recorded: a delay (and, for PSD, the extension). */
const caseIn = (regimeId: string, over: Partial<Case> = {}): Case => {
  const regime = getRegime(regimeId);
  let c = openCase(intakeBody({ receivedAt: NOW, regime: regimeId }), { id: CASE_ID, reference: 'CMP-2026-000001', ownerId: 'alice', assignmentRule: 'explicit', regime, actor: 'web-form', now: NOW }).case;
  if (regimeId === 'UK_FCA_PSD') c = extendClock(c, regime, 'The card scheme has not yet returned the chargeback evidence', 'alice', NOW).case;
  c = recordDelay(c, regime, { reason: 'we are waiting for the carrier’s delivery records.', expectedBy: '2026-04-17' }, 'alice', NOW).case;
  return { ...c, ...over };
};

const resolution = (over: Partial<Resolution> = {}): Resolution => ({
  id: '01JABCDEFGHJKMNPQRSTVWXYZ5',
  caseId: CASE_ID,
  round: 1,
  decision: 'partially_upheld',
  remedy: { description: 'We will re-deliver free of charge.', compensation: { amount: '75.00', currency: 'GBP' } },
  rootCause: { category: 'carrier_capacity', description: 'Carrier short of drivers' },
  finalResponse: 'We reviewed the delivery logs and your account history.\n\nThe second delay was caused by our carrier.',
  status: 'approved',
  proposedBy: 'alice',
  proposedAt: NOW,
  ...over,
});

const render = (kind: LetterKind, c: Case, r?: Resolution) => {
  const regime = getRegime(c.regime);
  return renderer.render(kind, profileOf(regime.id).family, letterModel({ kind, case: c, regime, resolution: r, letterhead: DEFAULT_LETTERHEAD, now: NOW }));
};

describe('letter templates', () => {
  const regimes = listRegimes().map((r) => r.id);

  it.each(regimes)('every kind renders for %s with every merge field present and no admission of liability', (regimeId) => {
    for (const kind of LETTER_KINDS) {
      const out = render(kind, caseIn(regimeId), resolution());
      expect(out.subject).toContain('CMP-2026-000001');
      expect(out.text).toContain('Dear Ada Lovelace,');
      expect(out.text).not.toMatch(/\{\{|\}\}|undefined|null|\[object Object\]/);
      for (const phrase of ADMISSION_PHRASES) expect(out.text.toLowerCase()).not.toContain(phrase);
      expect(out.template.id).toBe(`${kind}/${renderer.templateId(kind, profileOf(regimeId).family).split('/')[1]}`);
      expect(out.template.version).toMatch(/^[0-9a-f]{16}$/);
      expect(out.mergeFields).toEqual(expect.arrayContaining(['case.reference', 'customer.name', 'org.name']));
    }
  });

  it('every template file is used by some regime and renders a final response without a remedy', () => {
    const used = new Set(regimes.flatMap((id) => LETTER_KINDS.map((k) => renderer.templateId(k, profileOf(id).family))));
    expect(renderer.templateIds().filter((t) => !used.has(t))).toEqual([]);
    for (const id of regimes) expect(render('final_response', caseIn(id), resolution({ remedy: undefined, decision: 'not_upheld' })).text).toContain('We have decided not to uphold your complaint.');
  });

  it('fails loudly on a missing merge field (strict mode) instead of printing an empty string', () => {
    const regime = getRegime('UK_FCA_DISP');
    const model = letterModel({ kind: 'acknowledgement', case: caseIn('UK_FCA_DISP'), regime, letterhead: DEFAULT_LETTERHEAD, now: NOW });
    const { deadline: _gone, ...missing } = model;
    expect(() => renderer.render('acknowledgement', 'uk_disp', missing)).toThrow(/"period" not defined/);
  });

  it('templates carry no markup in their own text (so the HTML twin is the text, escaped)', () => {
    const dir = LETTERS_DIR;
    for (const id of [...renderer.templateIds(), ...['header', 'signoff', 'referral', 'fos_final', 'fos_delay'].map((p) => `partials/${p}`)]) {
      const ast = Handlebars.parse(readFileSync(path.join(dir, `${id}.hbs`), 'utf8'));
      const content = ast.body.filter((n): n is hbs.AST.ContentStatement => n.type === 'ContentStatement').map((n) => n.value).join('');
      expect({ id, markup: /[<>&]/.test(content) }).toEqual({ id, markup: false });
    }
  });

  it('escapes customer-supplied values in the HTML and strips control characters from the text', () => {
    const c = caseIn('UK_FCA_DISP', { customer: { id: 'c1', name: 'Eve <script>alert(1)</script>\u202e\u0007' }, product: 'card & account' });
    const out = render('acknowledgement', c);
    expect(out.html).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html).not.toContain('<script>');
    expect(out.html).toContain('card &amp; account');
    expect(out.text).toContain('Dear Eve <script>alert(1)</script>,');
    expect(out.text.includes('\u202e') || out.text.includes('\u0007')).toBe(false);
    expect(plain('  a\n\tb  ')).toBe('a b');
    expect(plain('p1\n\n\n\np2', true)).toBe('p1\n\np2');
  });

  it('renders customer values that look like template syntax or prototype members as data, escaped, never evaluated', () => {
    for (const name of ['{{constructor}}', '{{> header}}', '__proto__', 'constructor', '{{#with this}}{{/with}}']) {
      const out = render('acknowledgement', caseIn('UK_FCA_DISP', { customer: { id: 'c1', name } }));
      expect(out.text).toContain(`Dear ${name},`);
      expect(out.html).toContain(`Dear ${Handlebars.escapeExpression(name)},`);
      expect(out.text).not.toMatch(/function Object|\[native code\]|\[object Object\]/);
    }
  });

  it('resolves no prototype property or method from a model, even where a template asks for one (runtime defaults kept)', () => {
    const probe = (source: string) => {
      // A probe template precompiled here (as the build does) and loaded the way a module would hold it.
      // oxlint-disable-next-line typescript/no-implied-eval
      const spec = new Function(`return ${precompiledSource(source, HTML_OPTIONS)}`)() as TemplateSpecification;
      const twins = { text: spec, html: spec };
      const probing = new HandlebarsLetterRenderer({
        compiler: 'test',
        partials: {},
        templates: Object.fromEntries(LETTER_KINDS.map((k) => [`${k}/default`, { version: '0000000000000000', mergeFields: [], ...twins }])),
      });
      return () => probing.render('acknowledgement', 'default', { customer: { name: 'Ada' } });
    };
    // Strict mode: a prototype member is not the model's own, so it is "not defined" rather than printed.
    expect(probe('Subject: x\n\n{{customer.constructor.name}}')).toThrow(/"name" not defined/);
    expect(probe('Subject: x\n\n{{customer.__proto__}}')).not.toThrow();
    expect(probe('Subject: x\n\n[{{customer.__proto__}}][{{customer.constructor}}]')().text).toBe('[][]\n');
  });

  it('states the deadline that applies in the acknowledgement, per regime', () => {
    expect(render('acknowledgement', caseIn('UK_FCA_DISP')).text).toContain('8 weeks from receipt (DISP 1.6.2R)');
    expect(render('acknowledgement', caseIn('UK_FCA_PSD')).text).toMatch(/15 business days from receipt \(DISP 1\.6\.2AR\(1\)\)[\s\S]*no later than 35 business days/);
    expect(render('acknowledgement', caseIn('AU_ASIC_RG271')).text).toContain('30 calendar days from receipt');
    expect(render('acknowledgement', caseIn('IE_CBI_CPC')).text).toContain('40 business days from receipt');
  });

  it('UK final response and delay response carry the DISP 1 Annex 3R wording; the summary resolution its DISP 1.5.4R statements', () => {
    const fr = render('final_response', caseIn('UK_FCA_DISP'), resolution()).text;
    expect(fr).toContain('You have the right to refer your complaint to the Financial Ombudsman Service, free of charge – but you must do so within six months of the date of this letter.');
    expect(fr).toContain('We will pay you GBP 75.00');
    expect(fr).toContain('The second delay was caused by our carrier.');
    const holding = render('holding', caseIn('UK_FCA_DISP')).text;
    expect(holding).toContain('You may now refer your complaint to the Financial Ombudsman Service');
    expect(holding).toContain('www.financial-ombudsman.org.uk');
    const summary = render('summary_resolution', caseIn('UK_FCA_DISP')).text;
    expect(summary).toContain('we now consider your complaint to have been resolved');
    expect(summary).toContain('you may be able to refer it to the Financial Ombudsman Service');
  });

  it('names the regime’s external body and time limit in the final response (AFCA two years, FSPO, CFPB; none internally)', () => {
    expect(render('final_response', caseIn('AU_ASIC_RG271_HARDSHIP'), resolution()).text).toMatch(/Australian Financial Complaints Authority \(AFCA\)\. You must do so within two years/);
    expect(render('final_response', caseIn('IE_CBI_CPC'), resolution()).text).toContain('Financial Services and Pensions Ombudsman');
    expect(render('final_response', caseIn('US_CFPB'), resolution()).text).toContain('www.consumerfinance.gov/complaint');
    expect(render('final_response', caseIn('INTERNAL_STANDARD'), resolution()).text).toContain('reviewed by a senior manager');
  });

  it('refuses a final-response letter before a resolution exists (409)', () => {
    const regime = getRegime('UK_FCA_DISP');
    expect(() => letterModel({ kind: 'final_response', case: caseIn('UK_FCA_DISP'), regime, letterhead: DEFAULT_LETTERHEAD, now: NOW })).toThrow(/proposed resolution/);
  });
});
