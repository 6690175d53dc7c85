// LetterRenderer on the Handlebars runtime: the letter templates (templates/letters, <kind>/<family>.hbs with shared
// blocks in partials/) are precompiled at build by `npm run letters:precompile` into generated/templates.ts, in strict
// mode so a merge field missing from the model throws instead of printing "". Functions load `handlebars/runtime`
// only: no template file, parser or compiler at run time (issue 28).
//
// Escaping: letters are plain text for email and post, so the text rendering is precompiled with noEscape and the
// model's customer-supplied values arrive sanitised (control and bidirectional characters removed, see #domain/letters).
// The HTML rendering is precompiled from the same source with Handlebars' default escaping: every merge field is
// HTML-escaped, and the template's own text holds no markup characters (a unit test checks it). Customer values are
// data, never template source, and the runtime resolves no property or method of a prototype (the defaults, stated
// again in RUNTIME_OPTIONS).
import Handlebars from 'handlebars/runtime';
import { LETTER_KINDS, type LetterKind } from '#schemas/letters';
import type { LetterRenderer, RenderedLetter } from '#ports/letter-renderer';
import type { PrecompiledLetters, PrecompiledTemplate } from './precompiled';
import { PRECOMPILED_LETTERS } from './generated/templates';

export const DEFAULT_FAMILY = 'default';

/** Never resolve a member of Object.prototype (constructor, __proto__, …) from a model, whatever a template asks for. */
const RUNTIME_OPTIONS: RuntimeOptions = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

interface Compiled {
  id: string;
  version: string;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  mergeFields: string[];
}

/** Paragraphs (blank-line separated) as <p>, single line breaks as <br>: the HTML twin of the text letter. */
const paragraphs = (escapedHtml: string): string =>
  escapedHtml
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');

const splitSubject = (rendered: string): { subject: string; body: string } => {
  const m = /^Subject: (.*)\n+/.exec(rendered);
  if (!m) throw new Error('a letter template must start with a "Subject: " line');
  return { subject: m[1]!.trim(), body: rendered.slice(m[0].length).replace(/\n{3,}/g, '\n\n').trim() + '\n' };
};

export class HandlebarsLetterRenderer implements LetterRenderer {
  // Two environments: a partial runs with its environment's precompiled options, so text and HTML each get their own.
  private readonly textEnv = Handlebars.create();
  private readonly htmlEnv = Handlebars.create();
  private readonly specs = new Map<string, PrecompiledTemplate>();
  private readonly compiled = new Map<string, Compiled>();
  private readonly families = new Map<LetterKind, Set<string>>();

  /** `letters` defaults to the module generated from templates/letters; a test may pass its own precompiled set. */
  constructor(letters: PrecompiledLetters = PRECOMPILED_LETTERS) {
    for (const [name, p] of Object.entries(letters.partials)) {
      this.textEnv.registerPartial(name, this.textEnv.template(p.text));
      this.htmlEnv.registerPartial(name, this.htmlEnv.template(p.html));
    }
    for (const [id, t] of Object.entries(letters.templates)) this.specs.set(id, t);
    for (const kind of LETTER_KINDS) {
      const names = [...this.specs.keys()].filter((id) => id.startsWith(`${kind}/`)).map((id) => id.slice(kind.length + 1));
      if (!names.includes(DEFAULT_FAMILY)) throw new Error(`letter template ${kind}/${DEFAULT_FAMILY} is missing`);
      this.families.set(kind, new Set(names));
    }
  }

  /** Every template, as `<kind>/<family>` ids (for the render-everything test). */
  templateIds(): string[] {
    return LETTER_KINDS.flatMap((k) => [...(this.families.get(k) ?? [])].sort().map((f) => `${k}/${f}`));
  }

  templateId(kind: LetterKind, family: string): string {
    return `${kind}/${this.families.get(kind)?.has(family) ? family : DEFAULT_FAMILY}`;
  }

  private compile(id: string): Compiled {
    const hit = this.compiled.get(id);
    if (hit) return hit;
    const spec = this.specs.get(id);
    if (!spec) throw new Error(`letter template ${id} is not in the precompiled set`);
    const c: Compiled = { id, version: spec.version, text: this.textEnv.template(spec.text), html: this.htmlEnv.template(spec.html), mergeFields: [...spec.mergeFields] };
    this.compiled.set(id, c);
    return c;
  }

  render(kind: LetterKind, family: string, model: Record<string, unknown>): RenderedLetter {
    const c = this.compile(this.templateId(kind, family));
    const text = splitSubject(c.text(model, RUNTIME_OPTIONS));
    const html = splitSubject(c.html(model, RUNTIME_OPTIONS));
    return { subject: text.subject, text: text.body, html: paragraphs(html.body), template: { id: c.id, version: c.version }, mergeFields: [...c.mergeFields] };
  }
}
