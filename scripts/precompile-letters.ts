// Letters precompiled at build (issue 28): `npm run letters:precompile` reads the templates under templates/letters
// (<kind>/<family>.hbs, shared blocks in partials/) and writes shared/adapters/letters/generated/templates.ts, which
// holds every template and partial precompiled by Handlebars twice (text: strict, not escaped; HTML: strict, escaped),
// each template's version (a digest of its source and the partials) and the merge fields it reads. The renderer runs
// them on `handlebars/runtime`, so no function bundles the Handlebars parser and compiler, and CDK bundling, `npm start`
// and the tests all render the same module. test/bundles/letter-templates.test.ts fails while the module is stale.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { LETTER_KINDS } from '#schemas/letters';

export const LETTERS_DIR = path.resolve(__dirname, '..', 'templates', 'letters');
export const LETTERS_MODULE = path.resolve(__dirname, '..', 'shared', 'adapters', 'letters', 'generated', 'templates.ts');
export const DEFAULT_FAMILY = 'default';

/** Strict everywhere: a merge field missing from the model throws. The text is not escaped (its values are sanitised). */
export const TEXT_OPTIONS: CompileOptions = { strict: true, noEscape: true };
export const HTML_OPTIONS: CompileOptions = { strict: true };

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

export interface LetterSources {
  /** Partial name → source, sorted by name. */
  partials: Map<string, string>;
  /** `<kind>/<family>` → source, in LETTER_KINDS order, families sorted. */
  templates: Map<string, string>;
}

const hbsNames = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.hbs'))
        .map((f) => f.slice(0, -4))
        .sort()
    : [];

/** Every template and partial file; refuses a kind without its `default` family (the fallback of every regime). */
export const readLetterSources = (dir: string = LETTERS_DIR): LetterSources => {
  const partials = new Map(hbsNames(path.join(dir, 'partials')).map((n) => [n, readFileSync(path.join(dir, 'partials', `${n}.hbs`), 'utf8')] as const));
  const templates = new Map<string, string>();
  for (const kind of LETTER_KINDS) {
    const names = hbsNames(path.join(dir, kind));
    if (!names.includes(DEFAULT_FAMILY)) throw new Error(`letter template ${kind}/${DEFAULT_FAMILY}.hbs is missing`);
    for (const n of names) templates.set(`${kind}/${n}`, readFileSync(path.join(dir, kind, `${n}.hbs`), 'utf8'));
  }
  return { partials, templates };
};

/** A template's version: the first 16 hex digits of sha256(source ‖ every partial), as the renderer has always stamped it. */
export const templateVersion = (source: string, partials: Map<string, string>): string =>
  createHash('sha256')
    .update(source)
    .update([...partials].map(([n, s]) => `\0${n}\0${s}`).join(''))
    .digest('hex')
    .slice(0, 16);

/** The merge fields of a template and of the partials it uses (two levels of nesting), sorted. */
export const mergeFieldsOf = (id: string, source: string, partials: Map<string, string>): string[] => {
  const fields = new Set(fieldsOf(source));
  const used = new Set<string>();
  const visit = (src: string, depth: number) => {
    for (const m of src.matchAll(/\{\{>\s*([\w-]+)/g)) {
      const name = m[1]!;
      if (used.has(name)) continue;
      const p = partials.get(name);
      if (p === undefined) throw new Error(`letter template ${id} uses unknown partial ${name}`);
      used.add(name);
      for (const f of fieldsOf(p)) fields.add(f);
      if (depth < 2) visit(p, depth + 1);
    }
  };
  visit(source, 0);
  return [...fields].sort();
};

/** `Handlebars.precompile` returns the template as JavaScript source (its typings say TemplateSpecification). */
export const precompiledSource = (source: string, options: CompileOptions): string => Handlebars.precompile(source, options) as unknown as string;

const twins = (source: string): string => `{ text: ${precompiledSource(source, TEXT_OPTIONS)}, html: ${precompiledSource(source, HTML_OPTIONS)} }`;

const handlebarsVersion = (): string => (JSON.parse(readFileSync(require.resolve('handlebars/package.json'), 'utf8')) as { version: string }).version;

/** The generated module, byte for byte. */
export const letterTemplatesModule = (dir: string = LETTERS_DIR): string => {
  const { partials, templates } = readLetterSources(dir);
  const lines = [
    '/* eslint-disable */',
    '// Generated by `npm run letters:precompile` (scripts/precompile-letters.ts) from templates/letters: do not edit.',
    '// Every template and partial precompiled by Handlebars for its runtime (handlebars/runtime): text strict and not',
    '// escaped, HTML strict and escaped; test/bundles/letter-templates.test.ts fails while this module is stale.',
    '// @ts-nocheck: the precompiled functions are Handlebars output, typed as a whole by PrecompiledLetters.',
    "import type { PrecompiledLetters } from '../precompiled';",
    '',
    'export const PRECOMPILED_LETTERS: PrecompiledLetters = {',
    `  compiler: ${JSON.stringify(`handlebars ${handlebarsVersion()}`)},`,
    '  partials: {',
    ...[...partials].map(([name, source]) => `    ${JSON.stringify(name)}: ${twins(source)},`),
    '  },',
    '  templates: {',
    ...[...templates].map(
      ([id, source]) =>
        `    ${JSON.stringify(id)}: { version: ${JSON.stringify(templateVersion(source, partials))}, mergeFields: ${JSON.stringify(mergeFieldsOf(id, source, partials))}, ...${twins(source)} },`,
    ),
    '  },',
    '};',
    '',
  ];
  return lines.join('\n');
};

export const writeLetterTemplatesModule = (): void => {
  mkdirSync(path.dirname(LETTERS_MODULE), { recursive: true });
  writeFileSync(LETTERS_MODULE, letterTemplatesModule());
};

if (require.main === module) {
  writeLetterTemplatesModule();
  console.log(`wrote ${path.relative(process.cwd(), LETTERS_MODULE)}`);
}
