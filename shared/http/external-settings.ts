// Large settings (approval rules, reporting, triage, assignment, regime calendars and locations) kept outside the
// Lambda environment, whose 4 KB limit realistic JSON would pass: CDK stores them in one secret, named by
// SETTINGS_SECRET_ARN, and every function reads it once, before its first event, into its own environment.
import { resetConfig } from './config';

/** The settings that live in the settings secret in AWS (and in the environment locally). */
export const EXTERNAL_SETTINGS = ['APPROVAL_RULES', 'REPORTING', 'TRIAGE', 'ASSIGNMENT_RULES', 'REGIME_CALENDARS', 'REGIME_LOCATIONS'] as const;
export type ExternalSetting = (typeof EXTERNAL_SETTINGS)[number];
export const SETTINGS_SECRET_ENV = 'SETTINGS_SECRET_ARN';

const ALLOWED: ReadonlySet<string> = new Set(EXTERNAL_SETTINGS);

/**
 * Copies the secret's settings into `env`. Only the listed names, only strings: the secret cannot set anything else
 * (a key such as `__proto__` or NODE_OPTIONS is refused, not copied).
 */
export const applyExternalSettings = (env: NodeJS.ProcessEnv, secretString: string): ExternalSetting[] => {
  const parsed: unknown = JSON.parse(secretString);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the settings secret must hold a JSON object');
  const applied: ExternalSetting[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!ALLOWED.has(key)) throw new Error(`the settings secret names ${JSON.stringify(key)}, which is not one of ${EXTERNAL_SETTINGS.join(', ')}`);
    if (typeof value !== 'string') throw new Error(`the settings secret's ${key} must be a string (JSON text)`);
    env[key] = value;
    applied.push(key as ExternalSetting);
  }
  return applied;
};

let loading: Promise<void> | undefined;

/**
 * Once per process: if SETTINGS_SECRET_ARN is set, read the secret and apply it, then drop the cached configuration
 * so the next `config()` validates the complete settings. Without the variable (local mode, tests) it does nothing.
 * A failed read is not cached: the next event tries again.
 */
export const loadExternalSettings = (read: (secretId: string) => Promise<string>, env: NodeJS.ProcessEnv = process.env): Promise<void> => {
  const secretId = env[SETTINGS_SECRET_ENV];
  if (!secretId) return Promise.resolve();
  loading ??= read(secretId)
    .then((value) => {
      applyExternalSettings(env, value);
      resetConfig();
    })
    .catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
  return loading;
};
