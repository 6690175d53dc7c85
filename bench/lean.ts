// Issue 28 (lean functions): the bundle and cold-start goals, checked side by side in the `bundle` and `cold` phases.
//
// Side by side: with BENCH_COLD_BEFORE_DIR pointing at a directory of earlier bundles (`<route id>.js`, e.g. the esbuild
// output of main kept before a change), the cold phase also runs those bundles in the same round-robin rounds as the
// current ones, so a before/after comparison is measured under the same load. Source maps: the compared routes also
// run without --enable-source-maps in the same rounds, so the cost of the flag is measured, not assumed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleInfo, BundleReport } from './bundle';
import type { ColdStats, ColdTarget } from './cold-start';

export interface LeanCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

/**
 * Module scope of a bundle must not need AWS: region, table names and Powertools settings as applyLocalEnv sets them,
 * and the settings the synthesized app gives every function (cdk.json's defaults: a function validates each setting
 * its environment sets at cold start, so the probe sets what a deployed one does; test/infra/api-stack.suite.ts
 * fails when they drift apart).
 */
export const COLD_START_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_RETRY_MODE: 'standard',
  AWS_MAX_ATTEMPTS: '3',
  TABLE_NAME: 'complaints',
  IDEMPOTENCY_TABLE_NAME: 'complaints-idempotency',
  SERVICE_NAME: 'complaints',
  SERVICE_VERSION: '0.1.0',
  REFERENCE_BLOCK_SIZE: '50',
  EVIDENCE_RETENTION_DAYS: '2557',
  EXPORT_RETENTION_DAYS: '2557',
  AUDIT_DIGEST_MINUTES: '15',
  POWERTOOLS_SERVICE_NAME: 'complaints',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'Complaints',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export const LEAN_GOALS = {
  /** Init of every handler ÷ the SDK floor's (wall p50). */
  floorRatio: 1.25,
  floorRatioStretch: 1.15,
  /** Init over the floor (require p50), every API route. */
  overFloorMs: 40,
  /** Bundle of any API route, and of the two routes that touch no data. */
  routeBytes: 600 * 1024,
  metaRouteBytes: 150 * 1024,
  metaRoutes: ['health', 'openapi'],
} as const;

/** Routes run in the extra before / no-source-map variants (all of them would take three times as long). */
const DEFAULT_COMPARE = ['health', 'openapi', 'getComplaint', 'listComplaints', 'createComplaint', 'helpdeskIntake', 'replayInboundRejection', 'inboundRejections', 'previewLetter', 'kpiReport', 'registerEvidence', 'proposeResolution'];

export const leanSettings = () => ({
  beforeDir: process.env.BENCH_COLD_BEFORE_DIR || undefined,
  compareIds: (process.env.BENCH_COLD_COMPARE_IDS ?? DEFAULT_COMPARE.join(',')).split(',').map((s) => s.trim()).filter(Boolean),
});

export const BEFORE = ' (before)';
export const NO_MAPS = ' (no source maps)';

/** The extra cold-start targets: earlier bundles of the compared routes, and the current ones without source maps. */
export const extraColdTargets = (bundles: BundleReport, nodeArgs: string[], measured: readonly string[]): ColdTarget[] => {
  const s = leanSettings();
  const ids = new Set(s.compareIds);
  const out: ColdTarget[] = [];
  for (const f of bundles.functions) {
    if (!measured.includes(f.id)) continue;
    if (!ids.has(f.id)) continue;
    if (s.beforeDir) {
      const file = join(s.beforeDir, `${f.id}.js`);
      if (existsSync(file)) out.push({ id: `${f.id}${BEFORE}`, file });
    }
    if (nodeArgs.includes('--enable-source-maps')) out.push({ id: `${f.id}${NO_MAPS}`, file: f.file, nodeArgs: nodeArgs.filter((a) => a !== '--enable-source-maps') });
  }
  return out;
};

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

export const bundleChecks = (bundles: BundleReport): LeanCheck[] => {
  const fns = bundles.functions;
  const meta = fns.filter((f) => (LEAN_GOALS.metaRoutes as readonly string[]).includes(f.id));
  const rest = fns.filter((f) => !meta.includes(f));
  const over = rest.filter((f) => f.bytes > LEAN_GOALS.routeBytes).sort((a, b) => b.bytes - a.bytes);
  const metaOver = meta.filter((f) => f.bytes > LEAN_GOALS.metaRouteBytes);
  const skewed = fns.filter((f) => f.duplicatePackages.some((d) => d.name === '@aws-lambda-powertools/commons'));
  const commonsCopies = (f: BundleInfo) => f.duplicatePackages.find((d) => d.name === '@aws-lambda-powertools/commons')?.copies ?? [];
  return [
    {
      name: `#28 bundle of every API route ≤ ${kb(LEAN_GOALS.routeBytes)}`,
      ok: over.length === 0,
      hard: false,
      detail: `${rest.length - over.length}/${rest.length} routes; ${kb(Math.min(...rest.map((f) => f.bytes)))}–${kb(Math.max(...rest.map((f) => f.bytes)))}${over.length ? `; largest ${over.slice(0, 3).map((f) => `${f.id} ${kb(f.bytes)}`).join(', ')}` : ''}; the SDK floor alone is ${kb(bundles.sdkFloor.bytes)}`,
    },
    {
      name: `#28 bundle of ${LEAN_GOALS.metaRoutes.join(' and ')} ≤ ${kb(LEAN_GOALS.metaRouteBytes)}`,
      ok: metaOver.length === 0,
      hard: false,
      detail: meta.map((f) => `${f.id} ${kb(f.bytes)}`).join(', '),
    },
    {
      name: '#28 one copy of @aws-lambda-powertools/commons in every bundle',
      ok: skewed.length === 0,
      hard: false,
      detail: skewed.length
        ? `${skewed.length}/${fns.length} bundles carry several copies (e.g. ${skewed[0]!.id}: ${commonsCopies(skewed[0]!).map((c) => `${c.path} ${c.version ?? '?'}`).join(', ')})`
        : `${fns.length} bundles`,
    },
  ];
};

export interface LeanColdReport {
  checks: LeanCheck[];
  /** Before and after of each compared route (wall p50 ÷ floor, require p50 over the floor). */
  comparisons: { id: string; before?: ColdStats; after: ColdStats; noMaps?: ColdStats }[];
  lines: string[];
}

export const coldChecks = (fns: ColdStats[], extra: ColdStats[]): LeanColdReport => {
  const byId = new Map(extra.map((s) => [s.id, s]));
  const ratios = fns.map((f) => f.floorWallRatio);
  const worst = fns.reduce((a, b) => (b.floorWallRatio > a.floorWallRatio ? b : a));
  const overMs = fns.map((f) => f.extraInitOverFloorMsP50);
  const tooSlow = fns.filter((f) => f.extraInitOverFloorMsP50 > LEAN_GOALS.overFloorMs);
  const checks: LeanCheck[] = [
    {
      name: `#28 init of every handler ≤ ${LEAN_GOALS.floorRatio}× SDK floor (wall p50)`,
      ok: fns.every((f) => f.floorWallRatio <= LEAN_GOALS.floorRatio),
      hard: false,
      detail: `${fns.filter((f) => f.floorWallRatio <= LEAN_GOALS.floorRatio).length}/${fns.length} measured handlers; ${range(ratios, 2)}× (worst ${worst.id}); stretch ${LEAN_GOALS.floorRatioStretch}×: ${fns.filter((f) => f.floorWallRatio <= LEAN_GOALS.floorRatioStretch).length}/${fns.length}`,
    },
    {
      name: `#28 init of every handler ≤ ${LEAN_GOALS.floorRatioStretch}× SDK floor (wall p50, stretch goal)`,
      ok: fns.every((f) => f.floorWallRatio <= LEAN_GOALS.floorRatioStretch),
      hard: false,
      detail: `${fns.filter((f) => f.floorWallRatio <= LEAN_GOALS.floorRatioStretch).length}/${fns.length} measured handlers`,
    },
    {
      name: `#28 init over the SDK floor ≤ ${LEAN_GOALS.overFloorMs} ms for every API route (require p50)`,
      ok: tooSlow.length === 0,
      hard: false,
      detail: `${fns.length - tooSlow.length}/${fns.length} measured handlers; ${range(overMs, 0)} ms${tooSlow.length ? `; slowest ${[...tooSlow].sort((a, b) => b.extraInitOverFloorMsP50 - a.extraInitOverFloorMsP50).slice(0, 3).map((f) => `${f.id} +${f.extraInitOverFloorMsP50.toFixed(0)} ms`).join(', ')}` : ''}`,
    },
  ];
  const comparisons = fns
    .filter((f) => byId.has(`${f.id}${BEFORE}`) || byId.has(`${f.id}${NO_MAPS}`))
    .map((f) => ({ id: f.id, after: f, ...(byId.has(`${f.id}${BEFORE}`) ? { before: byId.get(`${f.id}${BEFORE}`)! } : {}), ...(byId.has(`${f.id}${NO_MAPS}`) ? { noMaps: byId.get(`${f.id}${NO_MAPS}`)! } : {}) }));
  const lines = comparisons.map((c) => {
    const b = c.before ? `before ${c.before.floorWallRatio.toFixed(2)}× floor, +${c.before.extraInitOverFloorMsP50.toFixed(0)} ms → ` : '';
    const m = c.noMaps ? `; without --enable-source-maps wall p50 ${(c.after.wallMsP50 - c.noMaps.wallMsP50).toFixed(1)} ms less (${c.noMaps.floorWallRatio.toFixed(2)}× floor)` : '';
    return `  ${c.id.padEnd(24)} ${b}after ${c.after.floorWallRatio.toFixed(2)}× floor, +${c.after.extraInitOverFloorMsP50.toFixed(0)} ms${m}`;
  });
  const withMaps = comparisons.filter((c) => c.noMaps);
  if (withMaps.length) {
    const deltas = withMaps.map((c) => c.after.wallMsP50 - c.noMaps!.wallMsP50).sort((a, b) => a - b);
    const med = deltas[Math.floor(deltas.length / 2)]!;
    checks.push({
      name: '#28 --enable-source-maps: init cost measured (wall p50 with − without, compared routes)',
      ok: true,
      hard: false,
      informational: true,
      detail: `median ${med.toFixed(1)} ms, range ${range(deltas, 1)} ms over ${withMaps.length} routes`,
    });
  }
  return { checks, comparisons, lines };
};
