// The apps the infra suites read, built once per set of settings: they all run in one jest file (test/infra/infra.test.ts),
// and building the app and synthesizing it costs several seconds each time. Only for suites that read the tree and its
// templates: a suite that changes it (adds a stack, an aspect, synthesizes with other validation) builds its own.
import { buildApp } from '../../infra/app';

// CloudFormation's default rules take ~15 s to load under jest; they run once, in cdk-nag.test.ts.
process.env.CDK_VALIDATION = 'false';

export type BuiltApp = ReturnType<typeof buildApp>;

/** Skip esbuild: the infra suites read templates, not bundles (`npx cdk synth` bundles for real). */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] as string[] };

/**
 * A new app with these `complaints:*` settings, as the infra suites build it: no bundling, and no tree.json in its
 * assembly (no suite reads it; writing it took about a tenth of each synth). cdk-nag runs on every synth as in a deploy.
 */
export const testApp = (settings: Record<string, unknown> = {}): BuiltApp => buildApp({ context: { ...NO_BUNDLING, ...settings }, treeMetadata: false });

const built = new Map<string, BuiltApp>();

/** The app with these `complaints:*` settings (and no bundling), shared by every suite that asks for the same ones. */
export const sharedApp = (settings: Record<string, unknown> = {}): BuiltApp => {
  const key = JSON.stringify(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  let app = built.get(key);
  if (!app) built.set(key, (app = testApp(settings)));
  return app;
};
