// The reporting projection under the scale model: what each change of a case writes to the projection's items, computed
// by the projection itself (contributions, diffContributions) on cases built by the domain's own lifecycle functions
// (openCase, acknowledge, reassign, addNote, close), keyed with the table model's reportPk / reportMark and sized by
// DynamoDB's item-size rules. Nothing here restates a key or a counter: a change to the projection changes these rows.
// The write pattern is the consumer's own: a stream batch's changes packed into transactions by packChanges (their
// deltas summed per counter item), each transaction's counters added to the shard the writer's reportShardCycle is
// at, each case's review row in the shard of its case id (shardOf), with the REPORT_SHARDS CDK sizes (reportShardsFor).
import { FIXED_WIDTH, packChanges } from '#adapters/aws/dynamo/report-store';
import { keys, reportShardCycle, reportShardsFor, shardOf } from '#adapters/aws/dynamo/table-model';
import { acknowledge, addNote, close, openCase, reassign } from '#domain/lifecycle';
import { getRegime, REGIME_IDS } from '#domain/regimes';
import { appliedOf, contributions, diffContributions, EMPTY_CONTRIBUTIONS, fixedShapeOf, isEmptyDelta, projector, scopes, splitKey, type AppliedContributions, type ContributionDelta } from '#domain/reporting/projection';
import { CATEGORIES, CHANNELS } from '#schemas/classification';
import type { Case } from '#schemas/complaint';
import { ReportingOptions } from '#schemas/reports';

/** The generation the counters are written to (a rebuild writes the next one; the keys are the same shape). */
const GENERATION = 1;
/** A fixed weekday morning (the model never reads the clock): every change of the modelled second falls on this day. */
const DAY = '2026-03-02T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(DAY) + minutes * 60_000).toISOString();

export interface ProjectionInputs {
  peakIntakes: number;
  /** Changes of a case after its intake: acknowledge, reassign, notes, close (at least 2: acknowledge and close). */
  updatesPerCase: number;
  /** Distinct products (each its own product group) and regimes of the cases (categories and channels: every one the schema has). */
  products: number;
  regimes: number;
  /** REPORT_SHARDS: partitions per projection scope; 0 = as CDK sizes them from the peak (reportShardsFor). */
  reportShards: number;
  /** Records a consumer invocation packs together at the peak (see model.ts, projectionBatchOf). */
  streamBatch: number;
}

/** Consumer containers writing at once, each cycling over the shards from its own (seeded, random) start. */
const WRITERS = 8;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface ItemLoad {
  pk: string;
  sk: string;
  /** DynamoDB's size of the item at the end of its period (every metric the modelled cases give it, at the peak's counts). */
  bytes: number;
  /** Writes a second when every change is applied on its own (one transaction per case change). */
  updatesAlone: number;
  /** Writes a second as the consumer writes: a batch's changes packed into transactions, each into one shard. */
  updatesPacked: number;
}

export interface ProjectionLoad {
  /** Cases a transaction carries on average as the consumer packs them, and the lifecycle steps modelled. */
  casesPerTransaction: number;
  /** The shards every projection scope is written as. */
  shards: number;
  steps: string[];
  items: ItemLoad[];
  /** Write units a second: each update rewrites the whole item (rounded up to 1 KB), twice as much inside a transaction. */
  wcuOf: (item: ItemLoad, packed: boolean) => number;
}

/** DynamoDB's size of a number: 1 byte, plus 1 per two significant digits. */
const numberBytes = (n: number): number => {
  const digits = String(Math.abs(n)).replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
  return 1 + Math.ceil(digits / 2);
};
/** DynamoDB's size of a value (strings in UTF-8; a map or list costs 3 bytes plus 1 per element beside its contents). */
const valueBytes = (v: unknown): number => {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return numberBytes(v);
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, e) => n + valueBytes(e) + 1, 0);
  return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, e]) => n + Buffer.byteLength(k) + valueBytes(e) + 1, 0);
};

type Step = (c: Case, i: number, minute: number) => Case;
const STEPS: Record<string, Step> = {
  acknowledge: (c, _i, m) => acknowledge(c, {}, c.ownerId, at(m)).case,
  reassign: (c, i, m) => reassign(c, `handler-${(i % 7) + 1}`, 'workload', 'supervisor', at(m)).case,
  note: (c, i, m) => addNote(c, { kind: 'call_note', body: 'called the customer' }, { noteId: `01JNOTE${String(i).padStart(19, '0')}` }, c.ownerId, at(m)).case,
  close: (c, i, m) => close(c, { followUpAction: 'none', rootCause: { category: `cause-${i % 5}`, description: 'depot capacity' } }, c.ownerId, at(m)).case,
};

/** The lifecycle after intake: acknowledge, reassign, a note for each further update, close (at least acknowledge and close). */
export const lifecycleSteps = (updatesPerCase: number): string[] =>
  updatesPerCase <= 2 ? ['acknowledge', 'close'] : ['acknowledge', 'reassign', ...Array.from({ length: updatesPerCase - 3 }, () => 'note'), 'close'];

/** One change of a case as the consumer sees it: the delta to apply (diffContributions) and the items it writes alone. */
interface Change {
  caseId: string;
  delta: ContributionDelta;
  items: Set<string>;
}

export const projectionLoad = (x: ProjectionInputs): ProjectionLoad => {
  const shards = x.reportShards > 0 ? x.reportShards : reportShardsFor(x.peakIntakes);
  const p = projector({ ...ReportingOptions.parse({}), timeZone: 'Europe/London' });
  const regimes = REGIME_IDS.slice(0, Math.max(1, Math.min(x.regimes, REGIME_IDS.length)));
  const steps = lifecycleSteps(x.updatesPerCase);
  // Enough cases for every product x category pair (a return item's attributes), every channel and regime.
  const sample = Math.max(x.products * CATEGORIES.length, CHANNELS.length * regimes.length);
  const scale = x.peakIntakes / sample;

  const attrs = new Map<string, Map<string, unknown>>();
  const scopeOf = new Map<string, string>();
  const remember = (key: string, name: string, value: unknown) => (attrs.get(key) ?? attrs.set(key, new Map()).get(key)!).set(name, value);
  // A count as large as a month's at the peak (a month item's fixed-width numbers carry their offset as well).
  const count = x.peakIntakes * 86_400 * 31 + FIXED_WIDTH.countOffset;
  const itemKey = (scope: string, sk: string, shard = 0) => {
    const k = `${keys.reportPk(GENERATION, scope, shard)}\u0000${sk}`;
    scopeOf.set(k, scope);
    return k;
  };
  /** The unsharded item whose attributes a sharded one has (every shard's item ends the month with the same metrics). */
  const sizeKeyOf = new Map<string, string>();

  const byStep: Change[][] = [[], ...steps.map(() => [])];
  for (let i = 0; i < sample; i += 1) {
    const regime = regimes[i % regimes.length]!;
    const id = `01JSCALE${String(i).padStart(18, '0')}`;
    let c = openCase(
      {
        customer: { id: `cust-${i}`, name: 'Ada Lovelace', vulnerable: i % 10 === 0 },
        channel: CHANNELS[i % CHANNELS.length]!,
        summary: 'Late delivery',
        description: 'The parcel arrived two weeks late.',
        product: `product-${i % x.products}`,
        category: CATEGORIES[Math.floor(i / x.products) % CATEGORIES.length]!,
        regime,
        receivedAt: DAY,
      },
      { id, reference: `CMP-2026-${String(i + 1).padStart(6, '0')}`, ownerId: 'handler-0', assignmentRule: 'explicit', regime: getRegime(regime), actor: 'intake', now: DAY },
    ).case;
    let applied: AppliedContributions = EMPTY_CONTRIBUTIONS;
    const record = (stepIndex: number) => {
      const next = contributions(c, p);
      const delta = diffContributions(applied, next);
      applied = appliedOf(next);
      if (isEmptyDelta(delta)) return;
      const mark = keys.reportMark(GENERATION, id);
      const items = new Set<string>([`${mark.PK}\u0000${mark.SK}`]);
      for (const [key, counts] of Object.entries(delta.counters)) {
        const { scope, sk } = splitKey(key);
        const k = itemKey(scope, sk);
        items.add(k);
        for (const m of [...Object.keys(counts), ...(fixedShapeOf(scope, sk) ?? [])]) remember(k, m, count);
      }
      for (const [key, row] of Object.entries(delta.put)) {
        const { scope, sk } = splitKey(key);
        items.add(itemKey(scope, sk));
        remember(itemKey(scope, sk), 'row', row);
      }
      for (const key of delta.remove) {
        const { scope, sk } = splitKey(key);
        items.add(itemKey(scope, sk));
      }
      byStep[stepIndex]!.push({ caseId: id, delta, items });
    };
    record(0);
    steps.forEach((step, s) => {
      c = STEPS[step]!(c, i, (s + 1) * 10);
      record(s + 1);
    });
  }

  // Applied alone: each change its own transaction, unsharded (for comparison). As the consumer writes: the changes
  // in stream order, cut into batches of what one invocation receives at the peak, packed by packChanges; each transaction's counters go to the shard its writer is at, rows to their case's shard.
  // The sample stands for `scale` times as many cases: it is replayed that many times (rounded up, each replay's
  // cases with ids of their own), so the peak second's transactions spread over the shards as they would.
  const alone = new Map<string, number>();
  const packed = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
  const changes = byStep.flat();
  for (const change of changes) for (const k of change.items) bump(alone, k);
  const replays = Math.max(1, Math.ceil(scale));
  // A fixed-seed generator: writers start at random shards and take batches in random turns; each replay's cases get
  // ids shaped like ULIDs (their rows' shard is their id's hash), so the model is repeatable.
  let state = 0x9e3779b9;
  const rng = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const writers = Array.from({ length: WRITERS }, () => reportShardCycle(shards, Math.floor(rng() * shards)));
  const ids = new Map<string, string>();
  const idOf = (caseId: string, replay: number) => {
    const k = `${caseId}-${replay}`;
    return ids.get(k) ?? ids.set(k, `01JSCALE00${Array.from({ length: 16 }, () => CROCKFORD[Math.floor(rng() * 32)]).join('')}`).get(k)!;
  };
  let transactions = 0;
  const sharded = (key: string, shard: number) => {
    const { scope, sk } = splitKey(key);
    const k = itemKey(scope, sk, shard);
    sizeKeyOf.set(k, itemKey(scope, sk));
    return k;
  };
  for (let r = 0; r < replays; r += 1) {
    // The second's changes reach the stream interleaved (intakes among later changes of older cases): a shuffle.
    const stream = [...changes];
    for (let i = stream.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1));
      [stream[i], stream[j]] = [stream[j]!, stream[i]!];
    }
    for (let b = 0; b < stream.length; b += x.streamBatch) {
      const writer = writers[Math.floor(rng() * writers.length)]!;
      const { groups, solo } = packChanges(stream.slice(b, b + x.streamBatch));
      for (const g of [...groups, ...solo.map((c) => ({ members: [c], delta: c.delta }))]) {
        transactions += 1;
        const shard = writer();
        for (const key of Object.keys(g.delta.counters)) bump(packed, sharded(key, shard), 1 / replays);
        for (const m of g.members) {
          const rowShard = shardOf(idOf(m.caseId, r), shards);
          for (const key of [...Object.keys(m.delta.put), ...m.delta.remove]) bump(packed, sharded(key, rowShard), 1 / replays);
          const mark = keys.reportMark(GENERATION, idOf(m.caseId, r));
          bump(packed, `${mark.PK}\u0000${mark.SK}`, 1 / replays);
        }
      }
    }
  }

  const bytesOf = (key: string): number => {
    const [pk, sk] = key.split('\u0000') as [string, string];
    const own = attrs.get(key) ?? new Map<string, unknown>();
    const month = (scopeOf.get(key) ?? '').startsWith(scopes.period('M', ''));
    return (
      valueBytes({ PK: pk, SK: sk, entity: 'report-counter', ...(month ? { enc: FIXED_WIDTH.mark } : {}) }) +
      [...own.entries()].reduce((b, [name, v]) => b + Buffer.byteLength(name) + valueBytes(v), 0)
    );
  };
  const items: ItemLoad[] = [...new Set([...alone.keys(), ...packed.keys()])].map((key) => {
    const [pk, sk] = key.split('\u0000') as [string, string];
    // A sharded item's attributes are its unsharded item's (its own key is a few bytes longer).
    const base = sizeKeyOf.get(key) ?? key;
    const bytes = bytesOf(base) + (pk.length - base.split('\u0000')[0]!.length);
    return { pk, sk, bytes, updatesAlone: (alone.get(key) ?? 0) * scale, updatesPacked: (packed.get(key) ?? 0) * scale };
  });
  return {
    casesPerTransaction: changes.length / Math.max(1, transactions / replays),
    shards,
    steps: ['intake', ...steps],
    items,
    wcuOf: (item, isPacked) => (isPacked ? item.updatesPacked : item.updatesAlone) * 2 * Math.ceil(item.bytes / 1024),
  };
};
