// SettingsStore: the settings too large for a Lambda environment (4 KB in all) in one Secrets Manager secret per app,
// read once per container by the functions (shared/http/external-settings.ts), and the synth-time size check of
// every function's environment.
import { SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { EXTERNAL_SETTINGS, SETTINGS_SECRET_ENV } from '#http/external-settings';

/** Lambda's limit on a function's environment: the keys and values together (AWS Lambda quotas). */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;
/**
 * What an unresolved value (a Ref, GetAtt or ImportValue of a name or ARN) is counted as: every name and ARN this
 * app puts in an environment is shorter (the longest, a state machine ARN, is under 100 characters).
 */
export const TOKEN_ESTIMATE_BYTES = 128;

const EXTERNAL: ReadonlySet<string> = new Set(EXTERNAL_SETTINGS);

/** Splits the handlers' environment into what stays in the function's environment and what goes to the settings secret. */
export const splitSettings = <E extends Record<string, string | undefined>>(environment: E) => {
  const inline: Record<string, string> = {};
  const external: Record<string, string> = {};
  for (const [k, v] of Object.entries(environment)) if (v !== undefined) (EXTERNAL.has(k) ? external : inline)[k] = v;
  return { inline, external };
};

/** Bytes of a resolved environment value: literals exactly, each reference as TOKEN_ESTIMATE_BYTES. */
const valueBytes = (v: unknown): number => {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).length;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + valueBytes(x), 0);
  if (v && typeof v === 'object') {
    const [[fn, arg]] = Object.entries(v) as [[string, unknown]];
    if (fn === 'Fn::Join') {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.reduce<number>((n, p) => n + valueBytes(p), 0) + Math.max(0, parts.length - 1) * sep.length;
    }
    return TOKEN_ESTIMATE_BYTES;
  }
  return 0;
};

/** A function's environment variables, resolved in its stack (literals, or CloudFormation intrinsics for references). */
export const environmentOf = (fn: CfnFunction): Record<string, unknown> => {
  const env = Stack.of(fn).resolve(fn.environment) as { variables?: Record<string, unknown> } | undefined;
  return env?.variables ?? {};
};

/** A function's environment size as Lambda counts it (keys and values), from its CloudFormation properties. */
export const environmentBytes = (fn: CfnFunction): number => {
  return Object.entries(environmentOf(fn)).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + valueBytes(v), 0);
};

/** Fails synth (the message names the function) when a function's environment exceeds Lambda's 4 KB. */
export const checkEnvironmentSize = (fn: CfnFunction, name: string): void => {
  fn.node.addValidation({
    validate: () => {
      const bytes = environmentBytes(fn);
      return bytes > LAMBDA_ENV_LIMIT_BYTES
        ? [
            `the environment of ${name} is ${bytes} bytes, over Lambda's ${LAMBDA_ENV_LIMIT_BYTES}: move large settings to the settings secret (EXTERNAL_SETTINGS in shared/http/external-settings.ts)`,
          ]
        : [];
    },
  });
};

const STORE_ID = 'ExternalSettings';

/** The top-level stack above a (possibly nested) stack: the secret lives there once, shared by every nested route stack. */
const rootStack = (scope: IConstruct): Stack => {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
};

/** The app's settings secret holding `external` (created by the first function that needs it); the same settings every time. */
export const settingsSecret = (scope: Construct, external: Record<string, string>): Secret => {
  const root = rootStack(scope);
  const value = JSON.stringify(external);
  const existing = root.node.tryFindChild(STORE_ID) as Secret | undefined;
  if (existing) {
    if (existing.node.metadata.find((m) => m.type === 'complaints:settings')?.data !== value) {
      throw new Error('functions of one app were given different external settings');
    }
    return existing;
  }
  const secret = new Secret(root, STORE_ID, {
    description: `Complaints: settings too large for a Lambda environment (${EXTERNAL_SETTINGS.join(', ')}), read once per function container`,
    // Not a credential: configuration the operator set as CDK context. A secret holds up to 64 KB (an SSM standard
    // parameter only 4 KB, the same limit as the environment) and its client is already in the bundle.
    secretStringValue: SecretValue.unsafePlainText(value),
  });
  secret.node.addMetadata('complaints:settings', value);
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'The secret holds deployment settings (approval rules, reporting, triage), not a credential; it changes with each deploy that changes them, so there is nothing to rotate.',
  });
  return secret;
};

export { SETTINGS_SECRET_ENV };
