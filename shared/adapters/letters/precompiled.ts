// The shape of the letter templates precompiled at build (scripts/precompile-letters.ts writes generated/templates.ts):
// what the renderer needs at run time, with no template source and no Handlebars compiler.
import type Handlebars from 'handlebars';

/** One template precompiled by `Handlebars.precompile`: code that `handlebars/runtime` turns into a template function. */
export type TemplateSpec = Parameters<typeof Handlebars.template>[0];

/** A template or partial precompiled twice: text (strict, not escaped) and HTML (strict, every merge field escaped). */
export interface PrecompiledTwins {
  text: TemplateSpec;
  html: TemplateSpec;
}

export interface PrecompiledTemplate extends PrecompiledTwins {
  /** First 16 hex digits of sha256(source ‖ every partial): stamped on each letter rendered from it. */
  version: string;
  /** The merge fields the template and its partials read, sorted. */
  mergeFields: readonly string[];
}

export interface PrecompiledLetters {
  /** The Handlebars release that precompiled them (its runtime must be the same revision). */
  compiler: string;
  /** Partial name → its twins. */
  partials: Readonly<Record<string, PrecompiledTwins>>;
  /** `<kind>/<family>` → its twins, version and merge fields; every kind has `<kind>/default`. */
  templates: Readonly<Record<string, PrecompiledTemplate>>;
}
