// Bundle size per function: every route entry bundled with the settings of the CDK function construct.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';

export const REPO_ROOT = resolve(__dirname, '..');

/** The handler Lambda's empty baseline: what a function costs with no code of ours at all. */
export const EMPTY_ID = '(empty handler)';
const EMPTY_SOURCE = 'exports.handler = async () => ({ statusCode: 200 });\n';

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
}

export interface BundleReport {
  outDir: string;
  buildMs: number;
  functions: BundleInfo[];
  empty: BundleInfo;
}

const packageOf = (input: string): string => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  return `(app) ${input.replace(/^(\.\.\/)+/, '').split('/')[0] ?? input}`;
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
  };
};

/** Bundles every entry (and the empty baseline) in one esbuild run; outputs go to `outDir`, never the repository. */
export const bundleFunctions = async (entries: { id: string; entry: string }[], outDir: string): Promise<BundleReport> => {
  const srcDir = join(outDir, 'src');
  mkdirSync(srcDir, { recursive: true });
  const emptyEntry = join(srcDir, 'empty-handler.js');
  writeFileSync(emptyEntry, EMPTY_SOURCE);

  const entryPoints: Record<string, string> = { 'empty-handler': emptyEntry };
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
  };
};
