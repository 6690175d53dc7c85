// Shared zod building blocks: the one definition of ids, money, timestamps and the problem document.
import * as z from 'zod';

export const ROLES = ['intake', 'handler', 'supervisor', 'compliance', 'legal', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const INTAKE_SCOPE = 'complaints/intake';

/** ULID: 26 Crockford base32 characters. */
export const Ulid = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');

/** Opaque user id from the identity provider (`sub`). */
export const UserId = z.string().trim().min(1).max(128).regex(/^[\w.@:+-]+$/, 'must be a user id');

export const IsoTimestamp = z.iso.datetime({ offset: true }).meta({ description: 'ISO-8601 timestamp', example: '2026-11-23T10:00:00.000Z' });

export const Money = z
  .object({
    amount: z.string().regex(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/, 'must be a non-negative decimal string such as "250.00"'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as "GBP"'),
  })
  .strict()
  .meta({ id: 'Money', description: 'Money as a decimal string and an ISO-4217 currency code' });
export type Money = z.infer<typeof Money>;

export const ProblemFieldError = z.object({
  field: z.string(),
  message: z.string(),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(ProblemFieldError).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof Problem>;

export const ListLimit = z.coerce.number().int().min(1).max(100).default(25).meta({ description: 'Items per page (1–100)' });
/** The lists of one case (tasks, notes, evidence, timeline) and the regimes: by default a whole short list in one page. */
export const WholeListLimit = z.coerce.number().int().min(1).max(100).default(100).meta({ description: 'Items per page (1–100; default 100)' });
export const Cursor = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an opaque cursor')
  .meta({ description: 'The nextCursor of the previous page: opaque and sealed (AES-256-GCM) to this route, your identity and the same filters; any other cursor is 400' });

/** The query of a list: `limit` and `cursor`, and nothing else (an unknown parameter is 400). */
export const pageQuery = (limit: z.ZodType<number, unknown> = ListLimit) => z.object({ limit, cursor: Cursor.optional() }).strict();

/** The lists of one case (tasks, notes, evidence, timeline) and the regimes: limit (default 100) and cursor. */
export const CaseListQuery = pageQuery(WholeListLimit);

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: Cursor.optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page' }) }).meta({ id });

export const Text = (max: number) => z.string().trim().min(1).max(max);
