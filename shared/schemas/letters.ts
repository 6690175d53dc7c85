// Customer letters (acknowledgement, holding, summary resolution, final response): the kinds and the preview shape.
import * as z from 'zod';
import { IsoTimestamp, Ulid } from './common';

export const LETTER_KINDS = ['acknowledgement', 'holding', 'summary_resolution', 'final_response'] as const;
export const LetterKind = /* @__PURE__ */ z.enum(LETTER_KINDS);
export type LetterKind = z.infer<typeof LetterKind>;

export const LetterParams = /* @__PURE__ */ z.object({ id: Ulid, kind: LetterKind }).strict();

export const LetterPreview = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    kind: LetterKind,
    regime: /* @__PURE__ */ z.string(),
    subject: /* @__PURE__ */ z.string(),
    text: /* @__PURE__ */ z.string().meta({ description: 'Plain text for email or post: customer-supplied values sanitised (control characters removed, whitespace collapsed)' }),
    html: /* @__PURE__ */ z.string().meta({ description: 'The same letter as HTML; every merge field HTML-escaped (Handlebars default escaping)' }),
    template: /* @__PURE__ */ z.object({
      id: /* @__PURE__ */ z.string().meta({ description: 'The template file, e.g. final_response/uk_disp', example: 'final_response/uk_disp' }),
      version: /* @__PURE__ */ z.string().meta({ description: 'SHA-256 (first 16 hex digits) of the template and every partial it uses' }),
    }),
    mergeFields: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({ description: 'Every merge field the template (and its partials) reads' }),
    rules: /* @__PURE__ */ z
      .array(/* @__PURE__ */ z.object({ id: /* @__PURE__ */ z.string(), ref: /* @__PURE__ */ z.string(), version: /* @__PURE__ */ z.iso.date(), checkedAt: /* @__PURE__ */ z.iso.date() }))
      .meta({ description: 'The rules this letter applies, each with the version date of the text it was checked against (docs/regulatory/register.md)' }),
    admissions: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).meta({
      description:
        'Admission-of-liability phrases the letter contains (the scan every sent text passes): empty for a letter that may go out; a final response that admits liability goes out only with legal approval, an acknowledgement never',
    }),
    renderedAt: IsoTimestamp,
  })
  .meta({ id: 'LetterPreview', description: 'A letter rendered from the case and its regime, not sent' });
export type LetterPreview = z.infer<typeof LetterPreview>;
