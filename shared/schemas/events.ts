// The published domain events: one zod schema per event type's `detail` (the one source of the JSON Schemas in docs/events/ and the OpenAPI components).
//
// Versioning: the EventBridge detail-type is the bare event name (`ComplaintClosed`) and `detail.schemaVersion` says
// which version of its schema the detail follows. Adding an optional field keeps the version; removing, renaming or
// retyping a field is a new version (`…V2`, `schemaVersion: 2`), published beside the old one for a deprecation period.
// Details carry identifiers and facts only: no free text that retention redacts (reasons, comments, response texts,
// follow-up actions, root-cause descriptions), so an event sent to a subscriber never holds what the case may later forget.
import * as z from 'zod';
import { IsoTimestamp, Money } from './common';
import { Category, Channel, ExternalRef, Risk, Sensitivity, Status } from './complaint';

export const EVENT_SCHEMA_VERSION = 1;

/** The published event types, in lifecycle order. Issue 10 (follow-up/feedback) adds its types here and in EVENT_DETAIL. */
export const PUBLISHED_EVENT_TYPES = [
  'ComplaintOpened',
  'OwnerChanged',
  'CheckpointReached',
  'DeadlineBreached',
  'Escalated',
  'ApprovalRequested',
  'ApprovalDecided',
  'FinalResponseSent',
  'ComplaintClosed',
  'ComplaintReopened',
] as const;
export const PublishedEventType = /* @__PURE__ */ z.enum(PUBLISHED_EVENT_TYPES);
export type PublishedEventType = z.infer<typeof PublishedEventType>;

const Hex64 = /* @__PURE__ */ z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');

/** Fields every published detail carries: which case, which audit event, and the case facts a subscriber routes on. */
const envelope = {
  schemaVersion: /* @__PURE__ */ z.literal(EVENT_SCHEMA_VERSION).meta({ description: 'Version of this detail schema' }),
  eventId: /* @__PURE__ */ z.string().meta({ description: 'Stable across redeliveries (`<caseId>:<auditSeq>`): de-duplicate on it' }),
  caseId: /* @__PURE__ */ z.string(),
  reference: /* @__PURE__ */ z.string().meta({ description: 'Human case reference, e.g. CMP-2026-000042' }),
  occurredAt: IsoTimestamp,
  auditSeq: /* @__PURE__ */ z.number().int().min(1).meta({ description: 'The audit event this domain event stands for' }),
  auditHash: /* @__PURE__ */ Hex64.meta({ description: 'Its hash in the case’s audit chain' }),
  regime: /* @__PURE__ */ z.string(),
  channel: /* @__PURE__ */ Channel.nullable().meta({ description: 'Intake channel (null if the case could not be read)' }),
  externalRef: /* @__PURE__ */ ExternalRef.nullable().meta({ description: 'The helpdesk ticket the case came from (sync-back), or null' }),
  ownerId: /* @__PURE__ */ z.string().nullable().meta({ description: 'The case owner when the event was published' }),
  team: /* @__PURE__ */ z.string().nullable(),
};

const detail = <T extends z.ZodRawShape>(type: PublishedEventType, description: string, shape: T) =>
  z
    .object({ ...envelope, ...shape })
    .strict()
    .meta({ id: `${type}V${EVENT_SCHEMA_VERSION}`, title: `${type} v${EVENT_SCHEMA_VERSION}`, description });

export const EVENT_DETAIL = {
  ComplaintOpened: /* @__PURE__ */ detail('ComplaintOpened', 'A complaint was recorded; its clock started.', {
    status: Status,
    receivedAt: IsoTimestamp,
    finalResponseDueAt: IsoTimestamp,
    category: Category,
    sensitivity: Sensitivity,
  }),
  OwnerChanged: /* @__PURE__ */ detail('OwnerChanged', 'The case was handed to another owner (a recorded handoff).', {
    fromOwnerId: /* @__PURE__ */ z.string(),
    toOwnerId: /* @__PURE__ */ z.string(),
    handoffCount: /* @__PURE__ */ z.number().int().min(1),
  }),
  CheckpointReached: /* @__PURE__ */ detail('CheckpointReached', 'A share (50/75/90 %) of the final-response window was used.', {
    cycle: /* @__PURE__ */ z.number().int().min(1),
    percent: /* @__PURE__ */ z.number().int().min(1).max(99),
    at: IsoTimestamp,
    finalResponseDueAt: IsoTimestamp,
    risk: /* @__PURE__ */ z.object({ from: Risk, to: Risk }).strict(),
  }),
  DeadlineBreached: /* @__PURE__ */ detail('DeadlineBreached', 'The final-response deadline passed without a final response.', {
    cycle: /* @__PURE__ */ z.number().int().min(1),
    finalResponseDueAt: IsoTimestamp,
    risk: /* @__PURE__ */ z.object({ from: Risk, to: Risk }).strict(),
  }),
  Escalated: /* @__PURE__ */ detail('Escalated', 'An escalation level was notified (team supervisors, head of complaints, compliance).', {
    escalationId: /* @__PURE__ */ z.string(),
    level: /* @__PURE__ */ z.number().int().min(1),
    role: /* @__PURE__ */ z.string(),
    ackDueAt: /* @__PURE__ */ IsoTimestamp.nullable(),
  }),
  ApprovalRequested: /* @__PURE__ */ detail('ApprovalRequested', 'An approval stage of a proposed outcome awaits a decision.', {
    approvalId: /* @__PURE__ */ z.string(),
    resolutionId: /* @__PURE__ */ z.string(),
    stage: /* @__PURE__ */ z.number().int().min(1),
    role: /* @__PURE__ */ z.string(),
    dueAt: /* @__PURE__ */ IsoTimestamp.nullable(),
  }),
  ApprovalDecided: /* @__PURE__ */ detail('ApprovalDecided', 'An approval stage was approved, rejected, or expired without a decision.', {
    approvalId: /* @__PURE__ */ z.string(),
    resolutionId: /* @__PURE__ */ z.string(),
    stage: /* @__PURE__ */ z.number().int().min(1),
    role: /* @__PURE__ */ z.string(),
    outcome: /* @__PURE__ */ z.enum(['approved', 'rejected', 'expired']),
    decidedBy: /* @__PURE__ */ z.string().nullable().meta({ description: 'The approver (null when the stage expired)' }),
  }),
  FinalResponseSent: /* @__PURE__ */ detail('FinalResponseSent', 'The final response went out; the clock stopped.', {
    status: Status,
    resolutionId: /* @__PURE__ */ z.string(),
    decision: /* @__PURE__ */ z.enum(['upheld', 'partially_upheld', 'not_upheld']),
    compensation: /* @__PURE__ */ Money.nullable(),
    responseChannel: /* @__PURE__ */ z.string(),
    finalResponseDueAt: IsoTimestamp,
    withinDeadline: /* @__PURE__ */ z.boolean(),
  }),
  ComplaintClosed: /* @__PURE__ */ detail('ComplaintClosed', 'The case was closed with a root cause and a follow-up action.', {
    status: Status,
    rootCauseCategory: /* @__PURE__ */ z.string().nullable(),
    respondedWithinDeadline: /* @__PURE__ */ z.boolean(),
    retainUntil: /* @__PURE__ */ IsoTimestamp.nullable(),
  }),
  ComplaintReopened: /* @__PURE__ */ detail('ComplaintReopened', 'A closed or resolved case was reopened; a new clock cycle started.', {
    status: Status,
    cycle: /* @__PURE__ */ z.number().int().min(2),
    reopenCount: /* @__PURE__ */ z.number().int().min(1),
    finalResponseDueAt: IsoTimestamp,
  }),
} as const satisfies Record<PublishedEventType, z.ZodType>;

export type EventDetail<T extends PublishedEventType = PublishedEventType> = z.output<(typeof EVENT_DETAIL)[T]>;

/** What a subscriber's endpoint receives: the event and its detail (the body the signature covers). */
export const WebhookPayload = /* @__PURE__ */ z
  .object({
    id: /* @__PURE__ */ z.string().meta({ description: 'The event id (also `detail.eventId`): de-duplicate on it' }),
    type: PublishedEventType,
    schemaVersion: /* @__PURE__ */ z.literal(EVENT_SCHEMA_VERSION),
    occurredAt: IsoTimestamp,
    detail: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.unknown()).meta({ description: 'Follows the schema `<type>V<schemaVersion>`' }),
  })
  .strict()
  .meta({ id: 'WebhookPayload' });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** The JSON Schema file name of an event type's detail in docs/events/. */
export const eventSchemaFile = (type: PublishedEventType): string => `${type}.v${EVENT_SCHEMA_VERSION}.schema.json`;

/** JSON Schema (draft 2020-12) of one detail, as published in docs/events/. */
export const eventJsonSchema = (type: PublishedEventType): Record<string, unknown> => {
  const schema = z.toJSONSchema(EVENT_DETAIL[type], { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: `https://complaints.example/events/${eventSchemaFile(type)}`, 'x-detail-type': type, ...rest };
};
