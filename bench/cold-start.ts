// Cold start: each bundle required by a fresh `node` process, ≥ 20 times, interleaved round-robin.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, percentile } from './stats';

/**
 * The probe a fresh process runs: time the `require` of the bundle (what Lambda's Init phase does for
 * a CJS handler) and check that it exports `handler`. Plain JS, so no loader is involved.
 */
const PROBE_SOURCE = `'use strict';
const t0 = process.hrtime.bigint();
const mod = require(process.argv[2]);
const t1 = process.hrtime.bigint();
if (typeof mod.handler !== 'function') {
  process.stderr.write('bundle does not export a handler function\\n');
  process.exit(3);
}
process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6 }));
`;

export interface ColdTarget {
  id: string;
  file: string;
  /** Node flags for this target instead of the run's (e.g. the same bundle without --enable-source-maps). */
  nodeArgs?: string[];
}

export interface ColdSample {
  requireMs: number;
  wallMs: number;
}

export interface ColdStats {
  id: string;
  runs: number;
  requireMsP50: number;
  requireMsP90: number;
  wallMsP50: number;
  wallMsP90: number;
  wallMsMin: number;
  /** Median wall time of this bundle ÷ median wall time of the empty bundle (the goal is against this one). */
  wallRatio: number;
  /** Median require time minus the empty bundle's: the init cost of our code and all its dependencies. */
  extraInitMsP50: number;
  /** Median wall time of this bundle ÷ median wall time of the SDK floor bundle (DynamoDB clients only). */
  floorWallRatio: number;
  /** Median require time minus the SDK floor's: the init cost of our own code and non-SDK dependencies. */
  extraInitOverFloorMsP50: number;
  samples: ColdSample[];
}

/** The two references every handler is compared with. */
export interface ColdBaselines {
  /** A handler with no code and no dependencies. */
  empty: ColdTarget;
  /** A handler that only creates the DynamoDB (document) client at module scope: what any DynamoDB-backed Lambda loads. */
  floor: ColdTarget;
}

export interface ColdResult {
  baseline: ColdStats;
  floor: ColdStats;
  functions: ColdStats[];
}

export interface ColdStartOptions {
  runs: number;
  warmupRounds: number;
  /** Flags for every probe process (the construct sets NODE_OPTIONS=--enable-source-maps in Lambda). */
  nodeArgs: string[];
  /** The whole environment of the probe processes (nothing inherited, so no loader leaks in). */
  env: Record<string, string>;
  workDir: string;
  onRound?: (round: number, of: number) => void;
}

const spawnProbe = (probe: string, target: ColdTarget, opts: ColdStartOptions): ColdSample => {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, [...(target.nodeArgs ?? opts.nodeArgs), probe, target.file], { env: opts.env, encoding: 'utf8', timeout: 30_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (out.error) throw out.error;
  if (out.status !== 0) throw new Error(`cold start of ${target.id} failed (exit ${out.status}): ${out.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const { requireMs } = JSON.parse(out.stdout) as { requireMs: number };
  return { requireMs, wallMs };
};

/**
 * Round-robin: round r runs every target once, starting at a rotating offset, so machine drift
 * (other load, thermal, page cache) spreads evenly over all targets and no target is always first.
 * Both baselines run in the same rounds as the handlers; ratios and deltas are computed against each.
 */
export const measureColdStarts = (baselines: ColdBaselines, targets: ColdTarget[], opts: ColdStartOptions): ColdResult => {
  const probe = join(opts.workDir, 'cold-start-probe.js');
  writeFileSync(probe, PROBE_SOURCE);
  const all = [baselines.empty, baselines.floor, ...targets];
  const samples = new Map<string, ColdSample[]>(all.map((t) => [t.id, []]));

  for (let w = 0; w < opts.warmupRounds; w++) for (const t of all) spawnProbe(probe, t, opts);
  for (let round = 0; round < opts.runs; round++) {
    for (let k = 0; k < all.length; k++) {
      const t = all[(round + k) % all.length]!;
      samples.get(t.id)!.push(spawnProbe(probe, t, opts));
    }
    opts.onRound?.(round + 1, opts.runs);
  }

  const medians = (t: ColdTarget) => {
    const s = samples.get(t.id)!;
    return { wall: median(s.map((x) => x.wallMs)), require: median(s.map((x) => x.requireMs)) };
  };
  const empty = medians(baselines.empty);
  const floor = medians(baselines.floor);
  const stats = (t: ColdTarget): ColdStats => {
    const s = samples.get(t.id)!;
    const wall = s.map((x) => x.wallMs);
    const req = s.map((x) => x.requireMs);
    return {
      id: t.id,
      runs: s.length,
      requireMsP50: median(req),
      requireMsP90: percentile(req, 90),
      wallMsP50: median(wall),
      wallMsP90: percentile(wall, 90),
      wallMsMin: Math.min(...wall),
      wallRatio: median(wall) / empty.wall,
      extraInitMsP50: median(req) - empty.require,
      floorWallRatio: median(wall) / floor.wall,
      extraInitOverFloorMsP50: median(req) - floor.require,
      samples: s,
    };
  };
  return { baseline: stats(baselines.empty), floor: stats(baselines.floor), functions: targets.map(stats) };
};
