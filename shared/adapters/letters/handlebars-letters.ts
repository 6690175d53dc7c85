// LetterRenderer on Handlebars: letter templates are files under templates/letters (<kind>/<family>.hbs, shared blocks
// in partials/), compiled once in strict mode so a merge field missing from the model throws instead of printing "".
//
// Escaping: letters are plain text for email and post, so the text rendering is compiled with noEscape and the model's
// customer-supplied values arrive sanitised (control and bidirectional characters removed, see #domain/letters). The
// HTML rendering is compiled from the same source with Handlebars' default escaping: every merge field is
// HTML-escaped, and the template's own text holds no markup characters (a unit test checks it).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { LETTER_KINDS, type LetterKind } from '#schemas/letters';
import type { LetterRenderer, RenderedLetter } from '#ports/letter-renderer';

export const DEFAULT_FAMILY = 'default';

/**
 * Where the templates are: LETTER_TEMPLATES_DIR, else next to the bundle (CDK copies templates/ into every function
 * asset that renders letters), else the repository's templates/letters (npm start, tests).
 */
export const templatesDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const candidates = [env.LETTER_TEMPLATES_DIR, path.join(__dirname, 'templates', 'letters'), path.resolve(__dirname, '..', '..', '..', 'templates', 'letters')].filter((d): d is string => Boolean(d));
  const found = candidates.find((d) => existsSync(path.join(d, 'partials')));
  if (!found) throw new Error(`letter templates not found (looked in ${candidates.join(', ')})`);
  return found;
};

/** Strict everywhere: a merge field missing from the model throws. The text is not escaped (its values are sanitised). */
const TEXT_OPTIONS: CompileOptions = { strict: true, noEscape: true };
const HTML_OPTIONS: CompileOptions = { strict: true };

interface Compiled {
  id: string;
  version: string;
  text: HandlebarsTemplateDelegate;
  html: HandlebarsTemplateDelegate;
  mergeFields: string[];
}

/** The merge fields a template reads: every path that is not a helper's name (only built-in block helpers are used). */
class FieldCollector extends Handlebars.Visitor {
  readonly fields = new Set<string>();
  override BlockStatement(block: hbs.AST.BlockStatement): void {
    for (const p of block.params) this.accept(p);
    if (block.program) this.accept(block.program);
    if (block.inverse) this.accept(block.inverse);
  }
  override MustacheStatement(m: hbs.AST.MustacheStatement): void {
    if (m.params.length) for (const p of m.params) this.accept(p);
    else this.accept(m.path);
  }
  override PartialStatement(): void {
    // Partials are collected from their own source.
  }
  override PathExpression(p: hbs.AST.PathExpression): void {
    this.fields.add(p.original);
  }
}

const fieldsOf = (source: string): string[] => {
  const v = new FieldCollector();
  v.accept(Handlebars.parse(source));
  return [...v.fields];
};

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
  // Two environments: partials compile with their environment's options, so text and HTML each get their own.
  private readonly textEnv = Handlebars.create();
  private readonly htmlEnv = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();
  private readonly partialSources = new Map<string, string>();
  private readonly families = new Map<LetterKind, Set<string>>();

  constructor(private readonly dir: string = templatesDir()) {
    const partialsDir = path.join(dir, 'partials');
    for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort()) {
      const source = readFileSync(path.join(partialsDir, file), 'utf8');
      const name = file.slice(0, -4);
      this.partialSources.set(name, source);
      this.textEnv.registerPartial(name, this.textEnv.compile(source, TEXT_OPTIONS));
      this.htmlEnv.registerPartial(name, this.htmlEnv.compile(source, HTML_OPTIONS));
    }
    for (const kind of LETTER_KINDS) {
      const kindDir = path.join(dir, kind);
      const names = existsSync(kindDir) ? readdirSync(kindDir).filter((f) => f.endsWith('.hbs')).map((f) => f.slice(0, -4)) : [];
      if (!names.includes(DEFAULT_FAMILY)) throw new Error(`letter template ${kind}/${DEFAULT_FAMILY}.hbs is missing`);
      this.families.set(kind, new Set(names));
    }
  }

  /** Every template file, as `<kind>/<family>` ids (for the render-everything test). */
  templateIds(): string[] {
    return LETTER_KINDS.flatMap((k) => [...(this.families.get(k) ?? [])].sort().map((f) => `${k}/${f}`));
  }

  templateId(kind: LetterKind, family: string): string {
    return `${kind}/${this.families.get(kind)?.has(family) ? family : DEFAULT_FAMILY}`;
  }

  private compile(id: string): Compiled {
    const hit = this.compiled.get(id);
    if (hit) return hit;
    const source = readFileSync(path.join(this.dir, `${id}.hbs`), 'utf8');
    const partials = [...this.partialSources.entries()];
    const version = createHash('sha256')
      .update(source)
      .update(partials.map(([n, s]) => `\0${n}\0${s}`).join(''))
      .digest('hex')
      .slice(0, 16);
    const fields = new Set(fieldsOf(source));
    // Partials used by the template, and by those partials (one level of nesting is what the templates use; two is allowed).
    const used = new Set<string>();
    const visit = (src: string, depth: number) => {
      for (const m of src.matchAll(/\{\{>\s*([\w-]+)/g)) {
        const name = m[1]!;
        if (used.has(name)) continue;
        const p = this.partialSources.get(name);
        if (p === undefined) throw new Error(`letter template ${id} uses unknown partial ${name}`);
        used.add(name);
        for (const f of fieldsOf(p)) fields.add(f);
        if (depth < 2) visit(p, depth + 1);
      }
    };
    visit(source, 0);
    const c: Compiled = {
      id,
      version,
      text: this.textEnv.compile(source, TEXT_OPTIONS),
      html: this.htmlEnv.compile(source, HTML_OPTIONS),
      mergeFields: [...fields].sort(),
    };
    this.compiled.set(id, c);
    return c;
  }

  render(kind: LetterKind, family: string, model: Record<string, unknown>): RenderedLetter {
    const c = this.compile(this.templateId(kind, family));
    const text = splitSubject(c.text(model));
    const html = splitSubject(c.html(model));
    return { subject: text.subject, text: text.body, html: paragraphs(html.body), template: { id: c.id, version: c.version }, mergeFields: c.mergeFields };
  }
}
