// Runtime configuration from environment variables, validated once at cold start.
import * as z from 'zod';
import { AssignmentRules, DEFAULT_ASSIGNMENT_RULES } from '#domain/assignment';

const JsonAssignment = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'ASSIGNMENT_RULES must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(AssignmentRules);

export const ConfigSchema = z.object({
  SERVICE_NAME: z.string().default('complaints'),
  SERVICE_VERSION: z.string().default('0.1.0'),
  AWS_REGION: z.string().default('eu-west-2'),
  TABLE_NAME: z.string().min(3).optional(),
  IDEMPOTENCY_TABLE_NAME: z.string().min(3).optional(),
  /** DynamoDB Local endpoint; unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  LIST_SHARDS: z.coerce.number().int().min(1).max(32).default(4),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  INTERNAL_STANDARD_DAYS: z.coerce.number().int().min(1).max(365).optional(),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  ASSIGNMENT_RULES: JsonAssignment.optional(),
  /** `local` = the controllable clock of the embedded stack. */
  CLOCK: z.enum(['system', 'local']).default('system'),
});
export type Config = z.infer<typeof ConfigSchema> & { assignment: AssignmentRules };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

let cached: Config | undefined;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return { ...parsed.data, assignment: parsed.data.ASSIGNMENT_RULES ?? DEFAULT_ASSIGNMENT_RULES };
};

export const config = (): Config => (cached ??= loadConfig());

export const requireSetting = <K extends keyof Config>(key: K): NonNullable<Config[K]> => {
  const value = config()[key];
  if (value === undefined || value === null) throw new ConfigError(`${String(key)} is not configured`);
  return value;
};
