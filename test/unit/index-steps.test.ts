// `npm run migrate -- --indexes`: where a table stands on the move to index generation 2, and what to deploy next.
import { CASE_INDEX_STEPS, FINAL_CASE_INDEX_STEP } from '#adapters/aws/dynamo/table-model';
import { indexStepOf, type IndexState } from '../../tools/migrate/index-steps';

const at = (step: number, status = 'ACTIVE'): IndexState[] => CASE_INDEX_STEPS[step]!.map((i) => ({ name: i.indexName, status }));

describe('indexStepOf', () => {
  it('finds every step from its indexes and names the next deploy', () => {
    for (let step = 0; step <= FINAL_CASE_INDEX_STEP; step++) expect(indexStepOf(at(step)).step).toBe(step);
    expect(indexStepOf(at(0)).next).toBe('deploy the stateful stack only: npx cdk deploy <prefix>Stateful -c complaints:caseIndexStep=1');
    expect(indexStepOf(at(5)).next).toContain('deploy every stack with -c complaints:caseIndexStep=5');
    expect(indexStepOf(at(7)).next).toBe('npx cdk deploy <prefix>Stateful -c complaints:caseIndexStep=8');
    expect(indexStepOf(at(FINAL_CASE_INDEX_STEP)).next).toMatch(/^nothing/);
  });

  it('says to wait for an index that is still filling, or still being deleted', () => {
    const filling = at(3).map((i) => (i.name === 'GSI3v2' ? { ...i, status: 'CREATING', backfilling: true } : i));
    expect(indexStepOf(filling)).toMatchObject({ step: 3, busy: ['GSI3v2 (CREATING, backfilling)'] });
    expect(indexStepOf(filling).next).toMatch(/^wait until GSI3v2 \(CREATING, backfilling\) is ACTIVE, then deploy the stateful stack only/);
    const deleting = [...at(6), { name: 'GSI1', status: 'DELETING' }];
    expect(indexStepOf(deleting)).toMatchObject({ step: 6, busy: ['GSI1 (DELETING)'] });
  });

  it('refuses to guess when the indexes match no step', () => {
    expect(indexStepOf([{ name: 'GSI1v2', status: 'ACTIVE' }])).toMatchObject({ step: undefined });
  });
});
