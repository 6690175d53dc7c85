// Decodes a cases-table stream record (Lambda's DynamoDB stream event shape, which the local poller builds too).
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AuditEvent } from '#schemas/children';
import { timerMap, type TimerMap } from '#domain/timers';
import { keys } from './table-model';
import { CASE_ATTR, caseOfItem, storedCaseForm } from './case-codec';

export type CaseStreamChange =
  | { kind: 'case'; caseId: string; before: TimerMap; after: TimerMap; changedAt: string; removed: boolean }
  | { kind: 'audit'; caseId: string; event: AuditEvent }
  | { kind: 'other' };

type Image = Record<string, AttributeValue>;

// Lambda's event typings describe the same JSON as the SDK's AttributeValue.
const image = (img: unknown): Record<string, unknown> | undefined => (img ? unmarshall(img as Image) : undefined);

/**
 * The timers an image's case needs: derived from its case (timerMap, a function of the case alone), so the case item
 * stores none; an item written before that (`timers` stored) gives the timers that were planned then.
 */
const timersOf = (item: Record<string, unknown> | undefined): TimerMap => {
  if (!item) return {};
  if (item.timers) return item.timers as TimerMap;
  return storedCaseForm(item[CASE_ATTR]) === 'missing' ? {} : timerMap(caseOfItem(item));
};

export const decodeStreamRecord = (r: DynamoDBRecord): CaseStreamChange => {
  const key = image(r.dynamodb?.Keys);
  const caseId = typeof key?.PK === 'string' ? keys.caseIdOf(key.PK) : undefined;
  if (!caseId || typeof key?.SK !== 'string') return { kind: 'other' };
  const oldItem = image(r.dynamodb?.OldImage);
  const newItem = image(r.dynamodb?.NewImage);
  if (key.SK === keys.caseSk) {
    const changedAt = newItem && storedCaseForm(newItem[CASE_ATTR]) !== 'missing' ? caseOfItem(newItem).updatedAt : new Date(Number(r.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000).toISOString();
    return { kind: 'case', caseId, before: timersOf(oldItem), after: timersOf(newItem), changedAt, removed: r.eventName === 'REMOVE' };
  }
  if (key.SK.startsWith(keys.auditPrefix) && r.eventName === 'INSERT' && newItem) {
    // The item also carries its changed-cases index keys (the repository's auditItem): not part of the event.
    const { PK: _pk, SK: _sk, entity: _e, caseId: _c, GSI5PK: _cp, GSI5SK: _cs, ...event } = newItem;
    return { kind: 'audit', caseId, event: event as AuditEvent };
  }
  return { kind: 'other' };
};
