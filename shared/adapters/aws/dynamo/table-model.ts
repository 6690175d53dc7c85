// The single-table model: key schema, index names by access pattern and every raw key format.
// CDK builds the tables from TABLES and the local stack creates them from the same definition,
// so the key schema cannot drift; no other module spells a key string.

export interface KeyAttr {
  name: string;
  type: 'S' | 'N';
}
export interface IndexDef {
  indexName: string;
  partitionKey: KeyAttr;
  sortKey: KeyAttr;
  /**
   * Non-key attributes projected into the index (INCLUDE); `[]` projects the keys only (KEYS_ONLY); without it the
   * index holds whole items (ALL). DynamoDB writes an index entry only when the item's index keys or a projected
   * attribute change, so a narrow projection is also what keeps ordinary writes off the index (docs/data-model.md).
   */
  include?: readonly string[];
}
export interface TableDef {
  partitionKey: KeyAttr;
  sortKey?: KeyAttr;
  indexes: IndexDef[];
  ttlAttribute?: string;
  stream: boolean;
}

const s = (name: string): KeyAttr => ({ name, type: 'S' });

/**
 * What a case list reads from an index entry of a case item: the compressed case (the list pages return whole cases,
 * `CasePage`), the top-level copies the FilterExpressions name (./case-codec CASE_FIELD_ATTRS) and the risk fields of
 * the risk filter and the deadline board. Not the timers, the audit head or the other indexes' keys.
 */
export const CASE_LIST_ATTRS = ['case', 'status', 'category', 'regime', 'ownerId', 'dueAt', 'atRiskAt', 'pausedRisk'] as const;
/**
 * The attributes of an approval stage item (the pending-approvals queue shares the open-cases index): every field of
 * the Approval schema (#schemas/resolution; test/integration/approvals-repository.test.ts reads a stage back whole).
 */
export const APPROVAL_ATTRS = ['id', 'caseId', 'resolutionId', 'stage', 'role', 'status', 'reasons', 'checks', 'proposedBy', 'createdAt', 'decidedBy', 'decidedAt', 'comment', 'dueAt', 'escalationLevel', 'carriedFrom'] as const;
/** A problem record's list entry (./problem-store: the problem lists share GSI2 and GSI3). */
export const PROBLEM_LIST_ATTRS = ['problem'] as const;

const union = (...lists: readonly (readonly string[])[]): string[] => [...new Set(lists.flat())];

/**
 * Access-pattern names for the generic GSI attributes.
 *
 * Index generation 2 (issue 28): the same key attributes as generation 1 (GSI1PK … GSI5PK), so each new index fills
 * from the items already in the table, with narrow projections (CloudFormation cannot change a projection in place:
 * hence new names; RETIRED_INDEXES lists generation 1 and CASE_INDEX_STEPS the one-index-a-deploy path between them).
 */
export const INDEX = {
  /** An owner's cases by due date: whole cases for the list page (INCLUDE of CASE_LIST_ATTRS). */
  byOwnerDue: { indexName: 'GSI1v2', partitionKey: s('GSI1PK'), sortKey: s('GSI1SK'), include: [...CASE_LIST_ATTRS] },
  /** Open (and closed) cases by due date, write-sharded; also the pending approval stages and the list of all problems. */
  openByDue: { indexName: 'GSI2v2', partitionKey: s('GSI2PK'), sortKey: s('GSI2SK'), include: union(CASE_LIST_ATTRS, APPROVAL_ATTRS, PROBLEM_LIST_ATTRS) },
  /**
   * A customer's cases (subject access, email reply matching): the keys only for a case item, whose entry then never
   * changes after intake (its keys are the customer and the receipt time); the reader fetches the page's cases by key.
   * Problems by status share it and project the problem.
   */
  byCustomer: { indexName: 'GSI3v2', partitionKey: s('GSI3PK'), sortKey: s('GSI3SK'), include: [...PROBLEM_LIST_ATTRS] },
  /** Closed, not yet redacted cases by the end of their retention (sparse, write-sharded; held cases apart): keys only, the id is in the sort key. */
  retentionDue: { indexName: 'GSI4v2', partitionKey: s('GSI4PK'), sortKey: s('GSI4SK'), include: [] },
  /**
   * Audit events by when they were recorded (write-sharded by case), with their hash: the audit digest job reads the
   * cases whose chain grew since the previous digest from here, O(events since), never a Scan. The keys are on the audit
   * event items (written once, in the transaction of the change), not on the case item, so a change writes one small
   * new entry instead of moving the case item's entry. A case item written before generation 2 still carries the keys;
   * its entry projects the head (headSeq, headHash) until its next write drops them.
   */
  changedSince: { indexName: 'GSI5v2', partitionKey: s('GSI5PK'), sortKey: s('GSI5SK'), include: ['hash', 'headSeq', 'headHash'] },
} as const satisfies Record<string, IndexDef>;

/** Generation 1 of the indexes (projection ALL on GSI1–4; GSI5 on the case item): what a table built before issue 28's projections has. */
export const RETIRED_INDEXES = [
  { indexName: 'GSI1', partitionKey: s('GSI1PK'), sortKey: s('GSI1SK') },
  { indexName: 'GSI2', partitionKey: s('GSI2PK'), sortKey: s('GSI2SK') },
  { indexName: 'GSI3', partitionKey: s('GSI3PK'), sortKey: s('GSI3SK') },
  { indexName: 'GSI4', partitionKey: s('GSI4PK'), sortKey: s('GSI4SK') },
  { indexName: 'GSI5', partitionKey: s('GSI5PK'), sortKey: s('GSI5SK'), include: ['headSeq', 'headHash'] },
] as const satisfies readonly IndexDef[];

/**
 * The path of an existing table from generation 1 to 2, one index created or deleted per deploy (CloudFormation's
 * limit): step 0 is generation 1; steps 1–5 add GSI1v2 … GSI5v2 beside the old ones; the code that reads generation 2
 * may be deployed from step 5 (every new index ACTIVE); steps 6–10 delete GSI1 … GSI5. The last step is the default
 * (a new table). CDK takes the step from `complaints:caseIndexStep` (docs/deploy.md, "Migrating an existing table").
 */
export const CASE_INDEX_STEPS: readonly (readonly IndexDef[])[] = Array.from({ length: 11 }, (_, step) => {
  const added = Object.values(INDEX).slice(0, Math.min(step, 5));
  const kept = RETIRED_INDEXES.slice(Math.max(0, step - 5));
  return [...kept, ...added];
});
export const FINAL_CASE_INDEX_STEP = CASE_INDEX_STEPS.length - 1;

export const TABLES = {
  cases: {
    partitionKey: s('PK'),
    sortKey: s('SK'),
    indexes: Object.values(INDEX),
    ttlAttribute: 'expiresAt',
    stream: true,
  },
  /** Powertools Idempotency persistence (its default attribute names). */
  idempotency: {
    partitionKey: s('id'),
    indexes: [],
    ttlAttribute: 'expiration',
    stream: false,
  },
} as const satisfies Record<string, TableDef>;

/** The cases table at a step of the index migration (CASE_INDEX_STEPS): the same table with that step's indexes. */
export const casesTableAt = (step: number): TableDef => ({ ...TABLES.cases, indexes: [...(CASE_INDEX_STEPS[step] ?? TABLES.cases.indexes)] });

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Stable shard of a case in the write-sharded list index. */
export const shardOf = (id: string, shards: number): number => {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % shards;
};

export type ListGroup = 'active' | 'closed';

/**
 * Shard sizing (issue 29 item 9): how many write shards an index partition needs so that, at a configured peak, its
 * busiest partition stays at or below half of DynamoDB's per-partition 1,000 WCU. Used by CDK (LIST_SHARDS,
 * OWNER_SHARDS from complaints:peakIntakesPerSecond) and by the scale model, so both size from one formula.
 */
export const SHARD_SIZING = {
  partitionWcu: 1000,
  goalShare: 0.5,
  /** Writes of a case item per intake: the intake and four later changes (acknowledge, assign, update, close). */
  writesPerIntake: 5,
  /** Write units per index write of a case item (3 KB items in the indexes projecting them). */
  unitsPerWrite: 3,
  /** Allowance for the hash's uneven spread over shards in any one second (the busiest shard, not the mean). */
  imbalance: 1.5,
} as const;

/** Write shards for `writesPerSecond` case-item writes landing on one index group at peak. */
const shardsForWrites = (writesPerSecond: number): number =>
  Math.max(1, Math.ceil(((writesPerSecond * SHARD_SIZING.unitsPerWrite) / (SHARD_SIZING.partitionWcu * SHARD_SIZING.goalShare)) * SHARD_SIZING.imbalance));

/** List (and changed-cases, retention, pending-approval) shards for a peak of intakes a second. */
export const listShardsFor = (peakIntakesPerSecond: number): number => shardsForWrites(peakIntakesPerSecond * SHARD_SIZING.writesPerIntake);

/**
 * Shards of each owner's partition in the owner index for a peak, when intake spreads over at least `smallestTeam`
 * handlers: the whole peak can land on one owner of a team of one, and a bulk reassignment can too.
 */
export const ownerShardsFor = (peakIntakesPerSecond: number, smallestTeam = 1): number =>
  shardsForWrites((peakIntakesPerSecond * SHARD_SIZING.writesPerIntake) / Math.max(1, smallestTeam));

/**
 * Reporting projection shards (issue 29 item 11): every projection partition (a day's or month's counters, the open
 * board, a regime's return, the review rows) is written as REPORT_SHARDS partitions. Counters are additive, so a
 * writer adds a transaction's summed deltas to whichever shard it is at (reportShardCycle) and readers sum the shards
 * by sort key; a case's review row stays in the shard its case id hashes to when first written. Sized so that at the
 * configured peak the busiest projection partition stays at or below half of 1,000 WCU: the scale model
 * (tools/scale-model/projection.ts) runs the projection's own functions over a synthetic peak second and measures
 * `wcuPerIntake`, the write units one intake (with its later changes) costs the busiest projection partition when the
 * consumer packs its changes as it does; the model's test checks the size holds at several peaks.
 */
export const REPORT_SIZING = {
  /**
   * Write units per intake a second on the busiest projection partition before sharding: 10.2 measured by the scale
   * model at 1,000 intakes a second (20 products, 2 regimes, 64 stream shards: batches of 390 records, 19.7 changes a
   * transaction), rounded up.
   */
  wcuPerIntake: 10.5,
  /**
   * Allowance for uneven shard use in any one second (writers' cycles start at random shards), and for the smaller
   * batches of a lower peak (each stream shard brings fewer records in the batching window, so fewer cases share a
   * transaction): the scale model's test checks the size at 250, 1,000 and 2,000 intakes a second.
   */
  imbalance: 1.75,
} as const;

/**
 * The projection consumer's event source mapping: up to `batchSize` records an invocation, waiting up to
 * `batchingWindowSeconds` to fill a batch. A bigger batch packs more cases into each transaction (their deltas summed:
 * a counter item written once for all of them), which is what keeps the projection's partitions cool at a peak; reports
 * lag the cases by up to the window. CDK (infra/constructs/report-projection.ts) and the scale model read these.
 */
export const REPORT_STREAM = { batchSize: 1000, batchingWindowSeconds: 5 } as const;

/** Projection shards for a peak of intakes a second (REPORT_SHARDS). */
export const reportShardsFor = (peakIntakesPerSecond: number): number =>
  Math.max(1, Math.ceil(((peakIntakesPerSecond * REPORT_SIZING.wcuPerIntake) / (SHARD_SIZING.partitionWcu * SHARD_SIZING.goalShare)) * REPORT_SIZING.imbalance));

/**
 * The shards one writer (a consumer's container, a rebuild) adds its transactions to: one step per transaction from
 * `start` (random per container), so concurrent writers spread over every shard and rarely meet on one.
 */
export const reportShardCycle = (shards: number, start: number): (() => number) => {
  let i = Math.abs(Math.trunc(start)) % Math.max(1, shards);
  return () => {
    const shard = i;
    i = (i + 1) % Math.max(1, shards);
    return shard;
  };
};

/** Which of an owner's shards holds a case (by case id, so a case stays in one shard while its owner keeps it). */
export const ownerShardOf = (caseId: string, ownerShards: number): number => shardOf(caseId, ownerShards);

/** An owner's partition of the owner index; shard 0 keeps the unsharded form, so OWNER_SHARDS=1 reads items written before sharding. */
const ownerPk = (ownerId: string, group: ListGroup, shard = 0): string => (shard === 0 ? `OWNER#${ownerId}#${group}` : `OWNER#${ownerId}#${group}#${shard}`);


export const keys = {
  case: (id: string) => ({ PK: `CASE#${id}`, SK: 'CASE' as const }),
  audit: (id: string, seq: number) => ({ PK: `CASE#${id}`, SK: `AUDIT#${pad(seq, 10)}` }),
  auditPrefix: 'AUDIT#',
  task: (id: string, taskId: string) => ({ PK: `CASE#${id}`, SK: `TASK#${taskId}` }),
  taskPrefix: 'TASK#',
  note: (id: string, noteId: string) => ({ PK: `CASE#${id}`, SK: `NOTE#${noteId}` }),
  notePrefix: 'NOTE#',
  evidence: (id: string, evidenceId: string) => ({ PK: `CASE#${id}`, SK: `EVIDENCE#${evidenceId}` }),
  evidencePrefix: 'EVIDENCE#',
  resolution: (id: string, resolutionId: string) => ({ PK: `CASE#${id}`, SK: `RESOLUTION#${resolutionId}` }),
  approval: (id: string, approvalId: string) => ({ PK: `CASE#${id}`, SK: `APPROVAL#${approvalId}` }),
  approvalPrefix: 'APPROVAL#',
  escalation: (id: string, escalationId: string) => ({ PK: `CASE#${id}`, SK: `ESCALATION#${escalationId}` }),
  escalationPrefix: 'ESCALATION#',
  resolutionPrefix: 'RESOLUTION#',
  export: (id: string, exportId: string) => ({ PK: `CASE#${id}`, SK: `EXPORT#${exportId}` }),
  exportPrefix: 'EXPORT#',
  /** Where an export id leads: its case (GET /v1/exports/{exportId} arrives by export id alone). */
  exportPointer: (exportId: string) => ({ PK: `EXPORT#${exportId}`, SK: 'EXPORT' }),
  /** Where an approval id leads: its case (decisions arrive by approval id alone). */
  approvalPointer: (approvalId: string) => ({ PK: `APPROVAL#${approvalId}`, SK: 'APPROVAL' }),
  /** Pending approvals across cases (sparse: only pending ones carry it), write-sharded like the case list. */
  pendingApprovalsPk: (shard: number) => `APPROVALS#pending#${shard}`,
  casePk: (id: string) => `CASE#${id}`,
  caseSk: 'CASE',
  /** The case id of any item under a case (its PK), or undefined for other items. */
  caseIdOf: (pk: string): string | undefined => (pk.startsWith('CASE#') ? pk.slice('CASE#'.length) : undefined),
  counter: (year: number) => ({ PK: `COUNTER#CASE_REF#${year}`, SK: 'COUNTER' }),
  teamCounterAttr: (team: string) => `rr_${team}`,
  externalRef: (system: string, id: string) => ({ PK: `EXTREF#${system}#${id}`, SK: 'EXTREF' }),
  /** Contact directory: which customer id an email address (as a SHA-256 of its lower-case form, never in clear) belongs to. */
  contact: (emailSha256: string) => ({ PK: `CONTACT#${emailSha256}`, SK: 'CONTACT' }),
  /** Rejected inbound messages, by UTC day of receipt (what arrived, why it was refused, where the raw message is). */
  inboundRejectedPk: (day: string) => `INBOUND#rejected#${day}`,
  /** Where a rejection is found by its id (the replay route): a pointer to its day item. */
  inboundRejectionPointer: (id: string) => ({ PK: `INBOUND#rejection#${id}`, SK: 'REJECTION' }),
  ownerPk,
  /** Every partition of an owner's group in the owner index: queries fan out over these and merge by due date. */
  ownerPks: (ownerId: string, group: ListGroup, ownerShards: number) => Array.from({ length: ownerShards }, (_, shard) => ownerPk(ownerId, group, shard)),
  listPk: (group: ListGroup, shard: number) => `CASES#${group}#${shard}`,
  customerPk: (customerId: string) => `CUSTOMER#${customerId}`,
  /** Retention index partitions: due cases by shard; cases on legal hold in one partition of their own (few, counted). */
  retentionPk: (shard: number) => `RETAIN#${shard}`,
  retentionHeldPk: 'RETAIN#held',
  dueSk: (dueAt: string, id: string) => `${dueAt}#${id}`,
  /** The changed-cases index: a case's shard partition, sorted by when its item last changed. */
  changedPk: (shard: number) => `CHANGED#${shard}`,
  changedSk: (at: string, id: string) => `${at}#${id}`,
  /** Where the audit digest chain stands (the newest digest recorded; S3 holds the digests themselves). */
  digestHead: { PK: 'AUDITDIGEST', SK: 'HEAD' },
  /**
   * Reporting projection: counter items and review rows of one generation (`scope` from #domain/reporting/projection),
   * in one of REPORT_SHARDS partitions; shard 0 keeps the unsharded form, so REPORT_SHARDS=1 reads what was written
   * before sharding (scopes never end in `#s<n>`: their parts are dates, `open`, `recent`, upper-case regime ids).
   */
  reportPk: (generation: number, scope: string, shard = 0) => (shard === 0 ? `RPT#${generation}#${scope}` : `RPT#${generation}#${scope}#s${shard}`),
  /** What one case has contributed to a generation (and the case version that contribution is of). */
  reportMark: (generation: number, caseId: string) => ({ PK: `RPT#${generation}#case#${caseId}`, SK: 'MARK' }),
  reportMeta: { PK: 'RPTMETA', SK: 'META' },
  /** Attempts made with one feedback link (rate limit), apart from the case (its own partition; TTL'd with the link). */
  feedbackAttempts: (caseId: string, tokenId: string) => ({ PK: `FEEDBACK#${caseId}#${tokenId}`, SK: 'ATTEMPTS' }),
  /** A member of staff's availability, capacity and skills (assignment reads it; PUT /v1/staff/{id}/availability writes it). */
  staff: (staffId: string) => ({ PK: `STAFF#${staffId}`, SK: 'PROFILE' as const }),
  /** Subscriber webhooks: every subscription in one partition (an organisation has a handful), newest last. */
  webhooksPk: 'WEBHOOKS',
  webhook: (id: string) => ({ PK: 'WEBHOOKS', SK: `WEBHOOK#${id}` }),
  webhookPrefix: 'WEBHOOK#',
  /** A subscription's deliveries (ULIDs: time-ordered) and the one-per-event markers that de-duplicate the fan-out. */
  webhookDelivery: (webhookId: string, deliveryId: string) => ({ PK: `WEBHOOK#${webhookId}`, SK: `DELIVERY#${deliveryId}` }),
  webhookDeliveryPk: (webhookId: string) => `WEBHOOK#${webhookId}`,
  webhookDeliveryPrefix: 'DELIVERY#',
  webhookEventMark: (webhookId: string, eventId: string) => ({ PK: `WEBHOOK#${webhookId}`, SK: `EVENT#${eventId}` }),
  /** The retry index: one item per pending delivery, sorted by when its next attempt is due. */
  webhookDuePk: 'WEBHOOKDUE',
  webhookDue: (dueAt: string, webhookId: string, deliveryId: string) => ({ PK: 'WEBHOOKDUE', SK: `${dueAt}#${webhookId}#${deliveryId}` }),
  /** Problem records (#32): the record and its own audit chain under one partition. */
  problem: (id: string) => ({ PK: `PROBLEM#${id}`, SK: 'PROBLEM' }),
  problemAudit: (id: string, seq: number) => ({ PK: `PROBLEM#${id}`, SK: `AUDIT#${pad(seq, 10)}` }),
  problemPk: (id: string) => `PROBLEM#${id}`,
  /** The problem lists (on the generic GSI attributes): every problem in one partition, and one partition per status, newest last. */
  problemsAllPk: 'PROBLEMS',
  problemsByStatusPk: (status: string) => `PROBLEMS#${status}`,
  problemListSk: (createdAt: string, id: string) => `${createdAt}#${id}`,
  /** Problem suggestions, one partition (a handful a day), ULIDs: time-ordered; and the one-per-group marker. */
  suggestionsPk: 'SUGGESTIONS',
  suggestion: (id: string) => ({ PK: 'SUGGESTIONS', SK: `SUGGESTION#${id}` }),
  suggestionPrefix: 'SUGGESTION#',
  suggestionMark: (signature: string) => ({ PK: 'SUGGESTIONS', SK: `GROUP#${signature}` }),
  /** Change events by when they took effect, and detected spikes by day and series: few per day, one partition each. */
  changesPk: 'CHANGES',
  change: (at: string, id: string) => ({ PK: 'CHANGES', SK: `${at}#${id}` }),
  changePointer: (id: string) => ({ PK: `CHANGE#${id}`, SK: 'CHANGE' }),
  spikesPk: 'SPIKES',
  spike: (day: string, dimension: string, value: string) => ({ PK: 'SPIKES', SK: `${day}#${dimension}#${value}` }),
} as const;
