// Renders a customer letter from its template files: Handlebars in every runtime (shared/adapters/letters).
import type { LetterKind } from '#schemas/letters';

export interface RenderedLetter {
  subject: string;
  text: string;
  html: string;
  template: { id: string; version: string };
  mergeFields: string[];
}

export interface LetterRenderer {
  /** Renders `kind` from the template for `family` (falling back to `default`); a merge field missing from `model` throws. */
  render(kind: LetterKind, family: string, model: Record<string, unknown>): RenderedLetter;
  /** Which template file `kind` uses for `family` (id `<kind>/<family or default>`). */
  templateId(kind: LetterKind, family: string): string;
}
