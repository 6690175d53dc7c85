// The cases table's index generation 2 (issue 28): what each index projects, and the one-index-a-deploy path to it.
import { APPROVAL_ATTRS, CASE_INDEX_STEPS, CASE_LIST_ATTRS, FINAL_CASE_INDEX_STEP, INDEX, RETIRED_INDEXES, TABLES, casesTableAt } from '#adapters/aws/dynamo/table-model';
import { CASE_ATTR, CASE_FIELD_ATTRS } from '#adapters/aws/dynamo/case-codec';
import { Approval } from '#schemas/resolution';

const names = (step: number) => CASE_INDEX_STEPS[step]!.map((i) => i.indexName);

describe('index projections', () => {
  it('the open-cases index projects every field of an approval stage (the pending queue reads stages from it)', () => {
    expect([...APPROVAL_ATTRS].sort()).toEqual(Object.keys(Approval.shape).sort());
    for (const a of APPROVAL_ATTRS) expect(INDEX.openByDue.include).toContain(a);
  });

  it('the list indexes project the compressed case and every attribute a list filter or the deadline board names', () => {
    for (const a of [CASE_ATTR, ...Object.values(CASE_FIELD_ATTRS), 'dueAt', 'atRiskAt', 'pausedRisk']) {
      expect(CASE_LIST_ATTRS).toContain(a);
      expect(INDEX.byOwnerDue.include).toContain(a);
      expect(INDEX.openByDue.include).toContain(a);
    }
    // Never what every change moves: the audit head (except on GSI5v2, for case items written before generation 2) and the timers.
    for (const i of [INDEX.byOwnerDue, INDEX.openByDue, INDEX.byCustomer, INDEX.retentionDue]) {
      expect(i.include).not.toContain('headSeq');
      expect(i.include).not.toContain('headHash');
      expect(i.include).not.toContain('version');
      expect(i.include).not.toContain('timers');
    }
  });

  it('a case item is keys-only in the customer and retention indexes, so a change after intake (or close) writes neither', () => {
    expect(INDEX.byCustomer.include).toEqual(['problem']);
    expect(INDEX.retentionDue.include).toEqual([]);
  });

  it('stays within DynamoDB’s 100 projected non-key attributes across the indexes of a table', () => {
    for (const step of CASE_INDEX_STEPS) expect(step.reduce((n, i) => n + ('include' in i && i.include ? i.include.length : 0), 0)).toBeLessThanOrEqual(100);
  });
});

describe('the index migration path (CloudFormation: one GSI created or deleted per update)', () => {
  it('starts at generation 1, ends at the model, and changes one index a step', () => {
    expect(names(0)).toEqual(RETIRED_INDEXES.map((i) => i.indexName));
    expect(CASE_INDEX_STEPS[FINAL_CASE_INDEX_STEP]).toEqual(TABLES.cases.indexes);
    expect(casesTableAt(FINAL_CASE_INDEX_STEP)).toEqual({ ...TABLES.cases, indexes: [...TABLES.cases.indexes] });
    for (let step = 1; step <= FINAL_CASE_INDEX_STEP; step++) {
      const before = new Set(names(step - 1));
      const after = new Set(names(step));
      const added = [...after].filter((n) => !before.has(n));
      const removed = [...before].filter((n) => !after.has(n));
      expect(added.length + removed.length).toBe(1);
    }
  });

  it('has every index the code reads from step 5 on (the step the app may be deployed at)', () => {
    const read = TABLES.cases.indexes.map((i) => i.indexName);
    expect(CASE_INDEX_STEPS.findIndex((s) => read.every((n) => s.some((i) => i.indexName === n)))).toBe(5);
  });

  it('keeps the key attributes, so each new index fills from the items already in the table', () => {
    for (const [i, old] of RETIRED_INDEXES.entries()) {
      const next = Object.values(INDEX)[i]!;
      expect([next.partitionKey, next.sortKey]).toEqual([old.partitionKey, old.sortKey]);
    }
  });
});
