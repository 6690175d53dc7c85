// The reporting projection under the scale model: what each change of a case writes to the projection's items, computed
// by the projection itself (contributions, diffContributions) on cases built by the domain's own lifecycle functions
// (openCase, acknowledge, reassign, addNote, close), keyed with the table model's reportPk / reportMark and sized by
// DynamoDB's item-size rules. Nothing here restates a key or a counter: a change to the projection changes these rows.
import { FIXED_WIDTH, MAX_CHANGES_PER_TRANSACTION } from '#adapters/aws/dynamo/report-store';
import { keys } from '#adapters/aws/dynamo/table-model';
import { acknowledge, addNote, close, openCase, reassign } from '#domain/lifecycle';
import { getRegime, REGIME_IDS } from '#domain/regimes';
import { appliedOf, contributions, diffContributions, EMPTY_CONTRIBUTIONS, fixedShapeOf, isEmptyDelta, projector, scopes, splitKey, type AppliedContributions } from '#domain/reporting/projection';
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
}

export interface ItemLoad {
  pk: string;
  sk: string;
  /** DynamoDB's size of the item at the end of its period (every metric the modelled cases give it, at the peak's counts). */
  bytes: number;
  /** Writes a second when every change is applied on its own (one transaction per case change). */
  updatesAlone: number;
  /** Writes a second when the changes share transactions as densely as TransactWriteItems allows (100 actions). */
  updatesPacked: number;
}

export interface ProjectionLoad {
  /** Cases a transaction carries at best, and the lifecycle steps modelled. */
  casesPerTransaction: number;
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

/** The items one change writes: its counter items, review rows put or removed, and the case's marker. */
interface Change {
  items: Set<string>;
}

export const projectionLoad = (x: ProjectionInputs): ProjectionLoad => {
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
  const itemKey = (scope: string, sk: string) => {
    const k = `${keys.reportPk(GENERATION, scope)}\u0000${sk}`;
    scopeOf.set(k, scope);
    return k;
  };

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
      byStep[stepIndex]!.push({ items });
    };
    record(0);
    steps.forEach((step, s) => {
      c = STEPS[step]!(c, i, (s + 1) * 10);
      record(s + 1);
    });
  }

  // Applied alone: each change its own transaction. Packed: changes in stream order (each step's changes of many
  // cases together, as a busy stream delivers them) share a transaction while its actions stay within 100.
  const alone = new Map<string, number>();
  const packed = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let transactions = 0;
  let changes = 0;
  let group = new Set<string>();
  const flush = () => {
    if (!group.size) return;
    for (const k of group) bump(packed, k);
    transactions += 1;
    group = new Set();
  };
  for (const change of byStep.flat()) {
    changes += 1;
    for (const k of change.items) bump(alone, k);
    const union = new Set([...group, ...change.items]);
    if (union.size > MAX_CHANGES_PER_TRANSACTION + 1) {
      flush();
      group = new Set(change.items);
    } else group = union;
  }
  flush();

  const items: ItemLoad[] = [...alone.entries()].map(([key, n]) => {
    const [pk, sk] = key.split('\u0000') as [string, string];
    const own = attrs.get(key) ?? new Map<string, unknown>();
    const month = (scopeOf.get(key) ?? '').startsWith(scopes.period('M', ''));
    const bytes =
      valueBytes({ PK: pk, SK: sk, entity: 'report-counter', ...(month ? { enc: FIXED_WIDTH.mark } : {}) }) +
      [...own.entries()].reduce((b, [name, v]) => b + Buffer.byteLength(name) + valueBytes(v), 0);
    return { pk, sk, bytes, updatesAlone: n * scale, updatesPacked: (packed.get(key) ?? 0) * scale };
  });
  return {
    casesPerTransaction: changes / Math.max(1, transactions),
    steps: ['intake', ...steps],
    items,
    wcuOf: (item, isPacked) => (isPacked ? item.updatesPacked : item.updatesAlone) * 2 * Math.ceil(item.bytes / 1024),
  };
};
