// Which records of a stream batch the reporting projection applies: only the newest record of each item (what a case
// contributes depends on its latest image alone); records of other items and records without keys are untouched.
import type { DynamoDBRecord } from 'aws-lambda';
import { supersededIn } from '../../functions/report-projection/handler';

const record = (pk: string | undefined, sk: string, seq: number): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: { SequenceNumber: String(seq), ...(pk !== undefined ? { Keys: { PK: { S: pk }, SK: { S: sk } } } : {}) },
});

describe('supersededIn', () => {
  it('keeps the last record of each item and marks the earlier ones', () => {
    const a1 = record('CASE#a', 'CASE', 1);
    const b1 = record('CASE#b', 'CASE', 2);
    const a2 = record('CASE#a', 'CASE', 3);
    const a3 = record('CASE#a', 'CASE', 4);
    const b2 = record('CASE#b', 'CASE', 5);
    const c1 = record('CASE#c', 'CASE', 6);
    expect([...supersededIn([a1, b1, a2, a3, b2, c1])]).toEqual([a1, b1, a2]);
  });

  it('tells items of the same partition apart by sort key, and leaves records without keys alone', () => {
    const caseItem = record('CASE#a', 'CASE', 1);
    const event = record('CASE#a', 'EVT#1', 2);
    const keyless = record(undefined, 'CASE', 3);
    expect(supersededIn([caseItem, event, keyless, keyless]).size).toBe(0);
  });

  it('marks nothing in a batch of distinct items', () => {
    expect(supersededIn(Array.from({ length: 100 }, (_, i) => record(`CASE#${i}`, 'CASE', i))).size).toBe(0);
  });
});
