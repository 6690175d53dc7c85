// The letter templates the functions render are precompiled at build (issue 28): the committed module
// shared/adapters/letters/generated/templates.ts is what `npm run letters:precompile` writes from templates/letters
// now, and rendering from it (runtime only) gives exactly what compiling the template files does.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import HandlebarsRuntime from 'handlebars/runtime';
import { HandlebarsLetterRenderer } from '#adapters/letters/handlebars-letters';
import { PRECOMPILED_LETTERS } from '#adapters/letters/generated/templates';
import { extendClock, openCase, recordDelay } from '#domain/lifecycle';
import { DEFAULT_LETTERHEAD, letterModel, profileOf } from '#domain/letters';
import { listRegimes } from '#domain/regimes';
import { LETTER_KINDS } from '#schemas/letters';
import type { Case } from '#schemas/complaint';
import { HTML_OPTIONS, LETTERS_MODULE, TEXT_OPTIONS, letterTemplatesModule, mergeFieldsOf, readLetterSources, templateVersion } from '../../scripts/precompile-letters';
import { CASE_ID, NOW, intakeBody } from '../unit/fixtures';

describe('letter templates precompiled at build', () => {
  it('the generated module is up to date (run `npm run letters:precompile` after editing templates/letters)', () => {
    expect(readFileSync(LETTERS_MODULE, 'utf8')).toBe(letterTemplatesModule());
  });

  it('holds every template file and partial, with its version and merge fields', () => {
    const { partials, templates } = readLetterSources();
    expect(Object.keys(PRECOMPILED_LETTERS.partials).sort()).toEqual([...partials.keys()].sort());
    expect(Object.keys(PRECOMPILED_LETTERS.templates).sort()).toEqual([...templates.keys()].sort());
    for (const [id, source] of templates) {
      const t = PRECOMPILED_LETTERS.templates[id]!;
      expect([id, t.version, t.mergeFields]).toEqual([id, templateVersion(source, partials), mergeFieldsOf(id, source, partials)]);
    }
  });

  it('renders every kind of every regime exactly as the template files compiled with the full Handlebars do', () => {
    const { partials, templates } = readLetterSources();
    const reference = (options: CompileOptions) => {
      const env = Handlebars.create();
      for (const [name, source] of partials) env.registerPartial(name, env.compile(source, options));
      return new Map([...templates].map(([id, source]) => [id, env.compile(source, options)]));
    };
    const text = reference(TEXT_OPTIONS);
    const html = reference(HTML_OPTIONS);
    // The precompiled twins on the runtime alone, as the renderer loads them.
    const runtime = (twin: 'text' | 'html') => {
      const env = HandlebarsRuntime.create();
      for (const [name, p] of Object.entries(PRECOMPILED_LETTERS.partials)) env.registerPartial(name, env.template(p[twin]));
      return new Map(Object.entries(PRECOMPILED_LETTERS.templates).map(([id, t]) => [id, env.template(t[twin])]));
    };
    const runtimeText = runtime('text');
    const runtimeHtml = runtime('html');
    const renderer = new HandlebarsLetterRenderer();
    let compared = 0;
    for (const regime of listRegimes()) {
      let c: Case = openCase(intakeBody({ receivedAt: NOW, regime: regime.id }), { id: CASE_ID, reference: 'CMP-2026-000001', ownerId: 'alice', assignmentRule: 'explicit', regime, actor: 'web-form', now: NOW }).case;
      if (regime.extension.allowed && regime.extension.clock) c = extendClock(c, regime, 'The card scheme has not yet returned the evidence', 'alice', NOW).case;
      c = recordDelay(c, regime, { reason: 'we are waiting for the carrier’s records.', expectedBy: '2026-04-17' }, 'alice', NOW).case;
      c = { ...c, customer: { id: 'c1', name: 'Eve <b>&</b> "{{constructor}}"' } };
      const resolution = { id: '01JABCDEFGHJKMNPQRSTVWXYZ5', caseId: CASE_ID, round: 1, decision: 'upheld' as const, rootCause: { category: 'carrier_capacity', description: 'Carrier short of drivers' }, finalResponse: 'We <checked> it & agree.', status: 'approved' as const, proposedBy: 'alice', proposedAt: NOW };
      for (const kind of LETTER_KINDS) {
        const family = profileOf(regime.id).family;
        const model = letterModel({ kind, case: c, regime, resolution, letterhead: DEFAULT_LETTERHEAD, now: NOW });
        const out = renderer.render(kind, family, model);
        const id = renderer.templateId(kind, family);
        const want = { text: text.get(id)!(model), html: html.get(id)!(model) };
        expect({ id, text: out.text, subject: out.subject }).toEqual({ id, text: want.text.replace(/^Subject: .*\n+/, '').replace(/\n{3,}/g, '\n\n').trim() + '\n', subject: /^Subject: (.*)\n/.exec(want.text)![1]!.trim() });
        expect({ id, text: runtimeText.get(id)!(model), html: runtimeHtml.get(id)!(model) }).toEqual({ id, ...want });
        expect(want.html).toContain('Dear Eve &lt;b&gt;&amp;&lt;/b&gt; &quot;{{constructor}}&quot;,');
        expect(out.html).toContain('Dear Eve &lt;b&gt;&amp;&lt;/b&gt; &quot;{{constructor}}&quot;,');
        compared++;
      }
    }
    expect(compared).toBe(listRegimes().length * LETTER_KINDS.length);
  });
});
