// Bundle size per function: every route entry bundled with the settings of the CDK function construct.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_ALIASES, lambdaDefines } from '../infra/constructs/lambda-bundling';

export const REPO_ROOT = resolve(__dirname, '..');

/** The handler Lambda's empty baseline: what a function costs with no code of ours at all. */
export const EMPTY_ID = '(empty handler)';
const EMPTY_SOURCE = 'exports.handler = async () => ({ statusCode: 200 });\n';

/**
 * The second baseline, the "SDK floor": a handler that only loads the DynamoDB client and document client and
 * creates them at module scope, which any DynamoDB-backed function must do. A tracked file in the repository
 * (not the temp dir) so esbuild resolves the SDK from node_modules as it does for the functions.
 */
export const SDK_FLOOR_ID = '(SDK floor)';
export const SDK_FLOOR_ENTRY = 'bench/fixtures/sdk-floor-handler.ts';

/**
 * Mirrors `bundling` in infra/constructs/api-function.ts (NodejsFunction → esbuild): CJS, minified,
 * external source maps without sources content, `module` before `main`, and nothing external
 * (`bundleAwsSDK: true`, `externalModules: []`), so the AWS SDK is bundled too. The construct targets
 * node24 (runtime NODEJS_24_X); esbuild resolves the package.json `imports` aliases (`#http/*`, …).
 */
export const ESBUILD_SETTINGS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  external: [],
  // As the construct bundles (infra/constructs/lambda-bundling.ts): the credential chain reduced to the environment,
  // no settings-secret client (the configuration cdk.json ships keeps every setting in the environment), and no
  // Bedrock client (its default triage chain is the local model only).
  alias: { ...LAMBDA_ALIASES },
  define: lambdaDefines({ settingsSecret: false, bedrock: false }),
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface SizedInput {
  path: string;
  bytes: number;
}

export interface BundleInfo {
  id: string;
  entry: string;
  /** Absolute path of the bundled .js file (in the temp dir). */
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  inputCount: number;
  /** Bytes in the output per input file, per directory and per npm package (largest first). */
  inputs: SizedInput[];
  directories: SizedInput[];
  packages: SizedInput[];
  /** npm packages present in more than one copy (install directory), with each copy's version and bytes. */
  duplicatePackages: DuplicatePackage[];
}

export interface DuplicatePackage {
  name: string;
  copies: { path: string; version: string | undefined; bytes: number }[];
}

export interface BundleReport {
  outDir: string;
  buildMs: number;
  functions: BundleInfo[];
  empty: BundleInfo;
  sdkFloor: BundleInfo;
}

const NODE_MODULES = /node_modules\/((?:@[^/]+\/)?[^/]+)/g;

/** The install directories of the npm package an input belongs to, outermost first (a nested copy has several). */
const packageChain = (input: string): string[] => [...input.matchAll(NODE_MODULES)].map((m) => m[1]!);

/** The (innermost) npm package an input belongs to; a nested copy names the package it is nested in. */
const packageOf = (input: string): string => {
  const chain = packageChain(input);
  if (chain.length === 0) return `(app) ${input.replace(/^(\.\.\/)+/, '').split('/')[0] ?? input}`;
  const name = chain[chain.length - 1]!;
  return chain.length > 1 ? `${name} (in ${chain[chain.length - 2]})` : name;
};

/** Directory of the package copy an input belongs to, e.g. `node_modules/a/node_modules/b`. */
const installDirOf = (input: string): string | undefined => {
  const matches = [...input.matchAll(NODE_MODULES)];
  const last = matches[matches.length - 1];
  return last ? input.slice(0, last.index + last[0].length) : undefined;
};

const versionAt = (dir: string): string | undefined => {
  try {
    return (JSON.parse(readFileSync(resolve(REPO_ROOT, dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
};

/** npm packages bundled more than once (several install directories of one name), e.g. after a version skew. */
const duplicatesOf = (inputs: SizedInput[]): DuplicatePackage[] => {
  const copies = new Map<string, Map<string, number>>();
  for (const i of inputs) {
    const dir = installDirOf(i.path);
    if (!dir) continue;
    const name = packageChain(i.path).at(-1)!;
    const byDir = copies.get(name) ?? new Map<string, number>();
    byDir.set(dir, (byDir.get(dir) ?? 0) + i.bytes);
    copies.set(name, byDir);
  }
  return [...copies]
    .filter(([, byDir]) => byDir.size > 1)
    .map(([name, byDir]) => ({ name, copies: [...byDir].map(([dir, bytes]) => ({ path: dir.replace(/^(\.\.\/)+/, ''), version: versionAt(dir), bytes })) }))
    .sort((a, b) => b.copies.reduce((n, c) => n + c.bytes, 0) - a.copies.reduce((n, c) => n + c.bytes, 0));
};

const directoryOf = (input: string): string => {
  const dir = dirname(input);
  return dir === '.' ? input : dir;
};

const sumBy = (inputs: SizedInput[], key: (path: string) => string): SizedInput[] => {
  const sums = new Map<string, number>();
  for (const i of inputs) sums.set(key(i.path), (sums.get(key(i.path)) ?? 0) + i.bytes);
  return [...sums].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes);
};

const describe = (id: string, entry: string, file: string, output: Metafile['outputs'][string]): BundleInfo => {
  const inputs = Object.entries(output.inputs)
    .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const code = readFileSync(file);
  return {
    id,
    entry,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes: statSync(`${file}.map`).size,
    inputCount: inputs.length,
    inputs,
    directories: sumBy(inputs, directoryOf),
    packages: sumBy(inputs, packageOf),
    duplicatePackages: duplicatesOf(inputs),
  };
};

/** Bundles every entry (and both baselines) in one esbuild run; outputs go to `outDir`, never the repository. */
export const bundleFunctions = async (entries: { id: string; entry: string }[], outDir: string): Promise<BundleReport> => {
  const srcDir = join(outDir, 'src');
  mkdirSync(srcDir, { recursive: true });
  const emptyEntry = join(srcDir, 'empty-handler.js');
  writeFileSync(emptyEntry, EMPTY_SOURCE);

  const entryPoints: Record<string, string> = { 'empty-handler': emptyEntry, 'sdk-floor-handler': resolve(REPO_ROOT, SDK_FLOOR_ENTRY) };
  for (const e of entries) entryPoints[e.id] = resolve(REPO_ROOT, e.entry);

  const started = performance.now();
  const result = await build({ ...ESBUILD_SETTINGS, absWorkingDir: REPO_ROOT, entryPoints, outdir: join(outDir, 'dist'), metafile: true, write: true });
  const buildMs = performance.now() - started;

  const byEntry = new Map<string, { file: string; output: Metafile['outputs'][string] }>();
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    byEntry.set(resolve(REPO_ROOT, output.entryPoint), { file: resolve(REPO_ROOT, file), output });
  }
  const info = (id: string, entry: string, abs: string): BundleInfo => {
    const hit = byEntry.get(abs);
    if (!hit) throw new Error(`esbuild produced no output for ${entry}`);
    return describe(id, entry, hit.file, hit.output);
  };
  return {
    outDir,
    buildMs,
    functions: entries.map((e) => info(e.id, e.entry, resolve(REPO_ROOT, e.entry))),
    empty: info(EMPTY_ID, relative(REPO_ROOT, emptyEntry), emptyEntry),
    sdkFloor: info(SDK_FLOOR_ID, SDK_FLOOR_ENTRY, resolve(REPO_ROOT, SDK_FLOOR_ENTRY)),
  };
};
