// Case children: investigation tasks, evidence-log notes and the audit timeline.
import * as z from 'zod';
import { TimelineAnchored } from './audit-digest';
import { Cursor, IsoTimestamp, Text, Ulid, UserId, pageOf } from './common';

export const TASK_STATUSES = ['open', 'blocked', 'done'] as const;
export const TaskStatus = /* @__PURE__ */ z.enum(TASK_STATUSES);

export const CreateTaskBody = /* @__PURE__ */ z
  .object({
    title: /* @__PURE__ */ Text(300),
    team: /* @__PURE__ */ z.string().trim().min(1).max(64).regex(/^[\w .-]+$/, 'must be a team name'),
    assigneeId: /* @__PURE__ */ UserId.optional(),
    dueAt: /* @__PURE__ */ IsoTimestamp.optional(),
  })
  .strict()
  .meta({ id: 'CreateTask' });
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

export const PatchTaskBody = /* @__PURE__ */ z
  .object({
    status: /* @__PURE__ */ TaskStatus.optional(),
    findings: /* @__PURE__ */ Text(20000).optional(),
    assigneeId: /* @__PURE__ */ UserId.optional(),
    blockedReason: /* @__PURE__ */ Text(2000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' })
  .meta({ id: 'PatchTask' });
export type PatchTaskBody = z.infer<typeof PatchTaskBody>;

export const Task = /* @__PURE__ */ z
  .object({
    id: Ulid,
    caseId: Ulid,
    title: /* @__PURE__ */ z.string(),
    team: /* @__PURE__ */ z.string(),
    assigneeId: /* @__PURE__ */ z.string().optional(),
    dueAt: /* @__PURE__ */ IsoTimestamp.optional(),
    status: TaskStatus,
    blockedSince: /* @__PURE__ */ IsoTimestamp.optional(),
    blockedReason: /* @__PURE__ */ z.string().optional(),
    findings: /* @__PURE__ */ z.string().optional(),
    createdBy: /* @__PURE__ */ z.string(),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
    completedAt: /* @__PURE__ */ IsoTimestamp.optional(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const TaskParams = /* @__PURE__ */ z.object({ id: Ulid, taskId: Ulid }).strict();

export const NOTE_KINDS = ['call_note', 'customer_statement', 'policy_reference', 'finding'] as const;
export const NoteKind = /* @__PURE__ */ z.enum(NOTE_KINDS);
export const CreateNoteBody = /* @__PURE__ */ z.object({ kind: NoteKind, body: /* @__PURE__ */ Text(50000) }).strict().meta({ id: 'CreateNote' });
export type CreateNoteBody = z.infer<typeof CreateNoteBody>;
export const Note = /* @__PURE__ */ z
  .object({ id: Ulid, caseId: Ulid, kind: NoteKind, body: /* @__PURE__ */ z.string(), authorId: /* @__PURE__ */ z.string(), createdAt: IsoTimestamp })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof Note>;

export const AuditEvent = /* @__PURE__ */ z
  .object({
    seq: /* @__PURE__ */ z.number().int().min(1),
    actor: /* @__PURE__ */ z.string(),
    action: /* @__PURE__ */ z.string(),
    at: IsoTimestamp,
    data: /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.unknown()),
    /** Hex salt of the data digest (absent once the event is redacted, and on events from before salts). */
    salt: /* @__PURE__ */ z.string().optional(),
    /** The data digest a redacted event keeps in place of its data. */
    dataDigest: /* @__PURE__ */ z.string().optional(),
    /** Set when the event's data was removed (retention); the chain still links through dataDigest. */
    redaction: /* @__PURE__ */ z.object({ at: IsoTimestamp, by: /* @__PURE__ */ z.string(), reason: /* @__PURE__ */ z.string() }).optional(),
    prevHash: /* @__PURE__ */ z.string(),
    hash: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEvent>;

const ChainVerdict = /* @__PURE__ */ z.object({ valid: /* @__PURE__ */ z.boolean(), head: /* @__PURE__ */ z.string(), length: /* @__PURE__ */ z.number().int(), firstBrokenSeq: /* @__PURE__ */ z.number().int().optional(), problem: /* @__PURE__ */ z.string().optional() });

/** The whole trail as an export bundle holds it (timeline.json): every event, and the verdict. */
export const BundleTimeline = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    events: /* @__PURE__ */ z.array(AuditEvent),
    chain: ChainVerdict,
    /** The newest signed audit digest anchoring the case (absent in bundles written before digests existed). */
    anchored: /* @__PURE__ */ TimelineAnchored.nullable().optional(),
  })
  .meta({ id: 'BundleTimeline' });

/** GET …/timeline: a page of the trail (a list like every other) and the verdict over the whole chain. */
export const Timeline = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    items: /* @__PURE__ */ z.array(AuditEvent).meta({ description: 'A page of the events, oldest first' }),
    nextCursor: /* @__PURE__ */ Cursor.optional().meta({ description: 'Pass as `cursor` for the next page of events; absent on the last page' }),
    chain: /* @__PURE__ */ ChainVerdict.meta({ description: 'The verdict over the whole chain (up to the head read with the case), whichever page this is' }),
    anchored: /* @__PURE__ */ TimelineAnchored.nullable().optional().meta({ description: 'The newest signed audit digest anchoring the case' }),
  })
  .meta({ id: 'Timeline' });

export const TaskList = /* @__PURE__ */ pageOf(Task, 'TaskList');
export const NoteList = /* @__PURE__ */ pageOf(Note, 'NoteList');
