// The route table: the single source for the local server, the CDK HTTP API and the OpenAPI document.
import * as z from 'zod';
import { CaseListQuery, INTAKE_SCOPE, Problem, type Role } from '#schemas/common';
import {
  AcknowledgeBody,
  Case,
  CasePage,
  ClockActionBody,
  CloseBody,
  ComplaintIdParams,
  CreateComplaintBody,
  CustomerComplaintsQuery,
  CustomerParams,
  ListComplaintsQuery,
  ReassignBody,
  ReclassifyBody,
  ReopenBody,
} from '#schemas/complaint';
import { CreateNoteBody, CreateTaskBody, Note, NoteList, PatchTaskBody, Task, TaskList, TaskParams, Timeline } from '#schemas/children';
import { RegimeList } from '#schemas/regime';
import { TriageDecisionBody, TriageReport, TriageReportQuery, TriageView } from '#schemas/triage';
import { Health, OpenApiDocument } from '#schemas/health';
import { ControlReview, ControlReviewQuery, ControlScore, DeadlineBoard, KpiQuery, KpiReport, ReportRangeQuery } from '#schemas/reports';
import { RegulatorReturn, ReturnsQuery } from '#schemas/returns';
import { Approval, ApprovalDecisionBody, ApprovalIdParams, ApprovalPage, CaseApprovalList, CaseApprovalsQuery, FinalResponseBody, PendingApprovalsQuery, ProposeResolutionBody, ResolutionProposal } from '#schemas/resolution';
import { AcknowledgeEscalationBody, Escalation, EscalationBody, EscalationParams, EscalationWaiverBody, WaiverResult } from '#schemas/escalation';
import { ExportParams, ExportView, PublicKeyView } from '#schemas/export';
import { HelpdeskEscalationBody, HelpdeskIntakeResult, HelpdeskParams, InboundRejectionList, InboundRejectionParams, InboundRejectionsQuery, InboundReplayResult } from '#schemas/channels';
import { CreateWebhookBody, CreatedWebhook, DeliveryPage, Webhook, WebhookListQuery, WebhookPage, WebhookParams } from '#schemas/webhooks';
import { EvidenceList, EvidenceParams, EvidenceView, LegalHoldBody, RegisterEvidenceBody, RegisteredEvidence } from '#schemas/evidence';
import { LetterParams, LetterPreview } from '#schemas/letters';
import { FeedbackBody, FeedbackParams, FeedbackReceipt } from '#schemas/feedback';
import {
  AcceptSuggestionBody,
  Change,
  CloseProblemBody,
  CreateChangeBody,
  CreateProblemBody,
  DismissSuggestionBody,
  EffectQuery,
  LinkComplaintBody,
  Problem as ProblemRecord,
  ProblemEffect,
  ProblemLinkParams,
  ProblemListQuery,
  ProblemPage,
  ProblemParams,
  ProblemTimeline,
  SpikePage,
  SpikesQuery,
  SuggestionDecision,
  SuggestionListQuery,
  SuggestionPage,
  SuggestionParams,
  UnlinkQuery,
  UpdateProblemBody,
} from '#schemas/problems';
import { MarkDuplicateBody, MarkSpamBody, UnmarkBody } from '#schemas/marking';
import { AvailabilityBody, AvailabilityResult, StaffParams } from '#schemas/staff';
import { Release, ReleaseDecisionBody, ReleaseParams, RequestReleaseBody } from '#schemas/release';

import { isPaged, locationIn } from './route-helpers';
import {
  ANY_USER,
  CASE_READERS,
  CASE_ACTORS,
  REPORT_READERS,
  EVIDENCE_WRITERS,
  LEGAL_HOLDERS,
  EXPORTERS,
  RELEASE_REQUESTERS,
  RELEASE_APPROVERS,
  APPROVERS,
  ESCALATION_MANAGERS,
  PROBLEM_MANAGERS,
  jwt,
  OWNER_ONLY,
  OWNER_OR_SUPERVISOR,
  OWNER_OR_EVIDENCE_WRITER,
  NEVER_OWNER,
} from './route-parts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What the domain checks after the route's gate, on the case (or record) the request names: the gate's roles are
 * necessary, not sufficient (403 when refused). OpenAPI states it beside the roles, so a client reads the rule the
 * server applies; test/api/access-matrix.test.ts holds both to API.md.
 */
export interface CaseRule {
  /** Only the case's owner (through any role of the gate) or one of these roles ([] = the owner only). */
  ownerOr?: readonly Role[];
  /** Never the case's owner (separation of duties, four eyes). */
  notOwner?: true;
  /** What further depends on the record itself (a stage's role, an escalation's level), in words. */
  detail?: string;
}

export type RouteAuth = { kind: 'public' } | { kind: 'jwt'; roles: readonly Role[]; scopes?: readonly string[]; caseRule?: CaseRule };

/** The tags of the OpenAPI document: every route names one, and each is described once. */
export const ROUTE_TAGS = {
  meta: 'Liveness and this document',
  complaints: 'Complaint cases: open, read, reclassify, reassign, acknowledge, close and reopen',
  deadlines: 'The case clock: pause, resume and extend under the case’s regime',
  investigation: 'Investigation tasks and cross-team dependencies',
  evidence: 'The evidence log: notes, files with presigned uploads, legal hold',
  triage: 'Suggested classification and the decisions on it',
  audit: 'The hash-chained audit trail of a case',
  resolution: 'Proposed outcomes, their approval stages (four eyes) and the final response',
  letters: 'Customer letters rendered for the case’s regime',
  escalation: 'Escalations, their acknowledgement and waivers',
  exports: 'Signed case bundles and subject-access reads',
  reports: 'Deadline board, KPIs, control score and review, regulator returns, triage quality',
  regimes: 'Deadline regimes and their rules',
  intake: 'Signed helpdesk intake and refused inbound email',
  feedback: 'Customer satisfaction through a signed single-use link',
  webhooks: 'Subscriptions to published domain events, and the events a subscriber receives',
  problems: 'Problem records, suggestions, change events, spikes and the effect of a fix',
  staff: 'Staff availability, capacity and skills that assignment reads',
} as const;
export type RouteTag = keyof typeof ROUTE_TAGS;

export interface RouteDef {
  method: Method;
  path: string;
  /** Handler entry, relative to the repository root; one Lambda function per entry. */
  entry: string;
  summary: string;
  tag: RouteTag;
  auth: RouteAuth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /**
   * A signed JSON body (webhooks): the handler gets the bytes as sent (`rawBody`), checks the signature over them and
   * only then validates; this schema documents the body (OpenAPI) and is never applied before the signature check.
   */
  signedBody?: z.ZodType;
  /** A GET that accepts If-None-Match and answers 304 (no body) while the client's ETag is current. */
  conditional?: boolean;
  /** Case-mutating route: accepts If-Match and answers 412 when it is stale. */
  ifMatch?: boolean;
  /**
   * Whether the route's function writes the cases table, where its method does not say: `true` for a GET that writes
   * (an audited read, e.g. issuing a download link), `false` for a POST that only reads (the rejection replay: the
   * function it invokes writes). Default: every method but GET writes.
   */
  writes?: boolean;
  /**
   * The route's writes are audit-only bookkeeping (an export job, a download link): its events join the case's hash
   * chain, but the case's version, and so every ETag a client holds, stays (docs/http-preconditions-and-locations.md).
   */
  auditOnly?: boolean;
  /** Success status and body schema. */
  ok: {
    status: number;
    schema: z.ZodType;
    description: string;
    etag?: boolean;
    /** Also answers text/csv (Accept: text/csv): what the CSV holds. */
    csv?: string;
    /**
     * Every 201 and 202 (API.md): the Location header's path template, filled by `locationOf` from the request's path
     * parameters and the ids of what was created. It names the created resource's own URL; a record without an
     * identity of its own (a waiver) names the case that holds it.
     */
    location?: { template: string; description: string };
    /** A 202: seconds a client waits before polling Location (the Retry-After header). */
    retryAfterSeconds?: number;
    /** Another success status with the same body and headers (a repeated delivery answered with what it created). */
    also?: { status: number; description: string };
  };
  /** Documented client errors besides the ones every route may return. */
  errors?: number[];
  /** Route-level throttling on the HTTP API stage (a public route that must not be hammered), below the stage default. */
  throttle?: { rateLimit: number; burstLimit: number };
  /** Path parameters that are credentials (a signed link's token): a request log shows them as [redacted], never in the clear. */
  credentialParams?: readonly string[];
}

/**
 * A route as a function's generated module holds it (shared/http/route-modules/<id>.ts): the table entry without its
 * response schema, which only the OpenAPI document reads, so a function does not build that schema at load.
 */
export type FunctionRouteDef = WithoutResponseSchema<RouteDef>;
/** A route entry without `ok.schema` (FunctionRouteDef; one route's own module: RouteOf in ./handler-core.ts). */
export type WithoutResponseSchema<T extends RouteDef> = Omit<T, 'ok'> & { readonly ok: Omit<T['ok'], 'schema'> };

export const ROUTES = {
  health: {
    method: 'GET',
    path: '/v1/health',
    entry: 'functions/health/handler.ts',
    summary: 'Liveness',
    tag: 'meta',
    auth: { kind: 'public' },
    // Every public route has its own stage throttle, so unauthenticated traffic cannot use up the staff's share.
    throttle: { rateLimit: 20, burstLimit: 40 },
    ok: { status: 200, schema: Health, description: 'The service is up' },
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    entry: 'functions/openapi/handler.ts',
    summary: 'This OpenAPI 3.1 document',
    tag: 'meta',
    auth: { kind: 'public' },
    throttle: { rateLimit: 5, burstLimit: 10 },
    ok: { status: 200, schema: OpenApiDocument, description: 'OpenAPI 3.1 document' },
  },
  deadlineReport: {
    method: 'GET',
    path: '/v1/reports/deadlines',
    entry: 'functions/report-deadlines/handler.ts',
    summary: 'Deadline board: due today and this week, at risk and overdue, by owner and regime',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    ok: { status: 200, schema: DeadlineBoard, description: 'Live counts over every case not closed' },
  },
  kpiReport: {
    method: 'GET',
    path: '/v1/reports/kpis',
    entry: 'functions/report-kpis/handler.ts',
    summary: 'Key figures over a range (deadline compliance, age, reopen and escalation rates, outcomes, root causes), optionally by dimension',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: KpiQuery,
    ok: { status: 200, schema: KpiReport, description: 'Figures read from pre-aggregated counters', csv: 'One row per group (and the totals) with every figure as a column' },
  },
  controlScore: {
    method: 'GET',
    path: '/v1/reports/control-score',
    entry: 'functions/report-control-score/handler.ts',
    summary: 'The 0–12 control score (ownership, deadline control, evidence record, escalation path, approvals, reporting) measured over a range',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: ReportRangeQuery,
    ok: { status: 200, schema: ControlScore, description: 'Each item scored 0–2 by its stated rule, the total and its band' },
  },
  controlReview: {
    method: 'GET',
    path: '/v1/reports/control-review',
    entry: 'functions/report-control-review/handler.ts',
    summary: 'Review of the most recently received formal complaints: missed deadlines, handoffs, evidence completeness, approval visibility, reopens',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: ControlReviewQuery,
    ok: { status: 200, schema: ControlReview, description: 'Case by case, newest first, with a summary', csv: 'One row per case' },
  },
  regulatorReturn: {
    method: 'GET',
    path: '/v1/reports/returns',
    entry: 'functions/report-returns/handler.ts',
    summary: 'Regulator-style complaints return for a regime and period (FCA DISP 1 Annex 1R, the FCA consolidated return from 2027, or a generic return)',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: ReturnsQuery,
    ok: { status: 200, schema: RegulatorReturn, description: 'The return figures', csv: 'One row per entity and product grouping, totals last' },
  },
  triageReport: {
    method: 'GET',
    path: '/v1/reports/triage',
    entry: 'functions/report-triage/handler.ts',
    summary: 'Triage quality and bias over the cases received in a range: accuracy (accepted vs overridden) and override rate by category, channel and vulnerable/non-vulnerable',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: TriageReportQuery,
    ok: { status: 200, schema: TriageReport, description: 'Figures read from pre-aggregated counters' },
  },
  listRegimes: {
    method: 'GET',
    path: '/v1/regimes',
    entry: 'functions/list-regimes/handler.ts',
    summary: 'Deadline regimes and their rules',
    tag: 'regimes',
    auth: jwt(ANY_USER),
    query: CaseListQuery,
    ok: { status: 200, schema: RegimeList, description: 'The regimes a case can run under, a page at a time' },
  },
  createComplaint: {
    method: 'POST',
    path: '/v1/complaints',
    entry: 'functions/create-complaint/handler.ts',
    summary: 'Open a complaint; the clock starts at receipt and an owner is assigned',
    tag: 'complaints',
    auth: jwt(['intake', 'handler', 'supervisor', 'admin'], [INTAKE_SCOPE]),
    body: CreateComplaintBody,
    ok: { status: 201, schema: Case, description: 'The new case', etag: true, location: { template: '/v1/complaints/{id}', description: 'The new case' } },
    errors: [409],
  },
  listComplaints: {
    method: 'GET',
    path: '/v1/complaints',
    entry: 'functions/list-complaints/handler.ts',
    summary: 'List cases sorted by final-response due date',
    tag: 'complaints',
    auth: jwt(CASE_READERS),
    query: ListComplaintsQuery,
    ok: { status: 200, schema: CasePage, description: 'A page of cases' },
  },
  getComplaint: {
    method: 'GET',
    path: '/v1/complaints/{id}',
    entry: 'functions/get-complaint/handler.ts',
    summary: 'Get a case',
    tag: 'complaints',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    conditional: true,
    ok: { status: 200, schema: Case, description: 'The case', etag: true },
    errors: [404],
  },
  reclassifyComplaint: {
    method: 'PATCH',
    path: '/v1/complaints/{id}',
    entry: 'functions/reclassify-complaint/handler.ts',
    summary:
      'Reclassify a case (owner or supervisor). Lowering a risk flag, the sensitivity or the severity needs a supervisor who does not own the case and a reason (403/400); a change to a flag the approval rules read re-plans a standing proposal (its new stages must be approved before the final response)',
    tag: 'complaints',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: ReclassifyBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The updated case', etag: true },
    errors: [404, 409, 412],
  },
  reassignOwner: {
    method: 'POST',
    path: '/v1/complaints/{id}/owner',
    entry: 'functions/reassign-owner/handler.ts',
    summary: 'Reassign the owner; recorded as a handoff',
    tag: 'complaints',
    auth: jwt(['supervisor', 'admin']),
    params: ComplaintIdParams,
    body: ReassignBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The updated case', etag: true },
    errors: [404, 409, 412],
  },
  recordAcknowledgement: {
    method: 'POST',
    path: '/v1/complaints/{id}/acknowledgement',
    entry: 'functions/record-acknowledgement/handler.ts',
    summary: 'Record the acknowledgement sent to the customer (owner); a text that admits liability is 400 (an admission goes out only in a final response legal approved)',
    tag: 'complaints',
    auth: jwt(CASE_ACTORS, undefined, OWNER_ONLY),
    params: ComplaintIdParams,
    body: AcknowledgeBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The updated case', etag: true },
    errors: [404, 409, 412],
  },
  createTask: {
    method: 'POST',
    path: '/v1/complaints/{id}/tasks',
    entry: 'functions/create-task/handler.ts',
    summary: 'Open an investigation task or cross-team dependency (owner or supervisor)',
    tag: 'investigation',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: CreateTaskBody,
    ifMatch: true,
    ok: { status: 201, schema: Task, description: 'The task', etag: true, location: { template: '/v1/complaints/{id}/tasks/{taskId}', description: 'The new task' } },
    errors: [404, 409, 412],
  },
  listTasks: {
    method: 'GET',
    path: '/v1/complaints/{id}/tasks',
    entry: 'functions/list-tasks/handler.ts',
    summary: 'Investigation tasks of a case',
    tag: 'investigation',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    query: CaseListQuery,
    ok: { status: 200, schema: TaskList, description: 'The tasks' },
    errors: [404],
  },
  updateTask: {
    method: 'PATCH',
    path: '/v1/complaints/{id}/tasks/{taskId}',
    entry: 'functions/update-task/handler.ts',
    summary: 'Update a task: status (blocked records blockedSince), findings (owner or supervisor)',
    tag: 'investigation',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: TaskParams,
    body: PatchTaskBody,
    ifMatch: true,
    ok: { status: 200, schema: Task, description: 'The task', etag: true },
    errors: [404, 409, 412],
  },
  addNote: {
    method: 'POST',
    path: '/v1/complaints/{id}/notes',
    entry: 'functions/add-note/handler.ts',
    summary: 'Add an evidence-log text entry (owner, supervisor, compliance, legal)',
    tag: 'evidence',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_EVIDENCE_WRITER),
    params: ComplaintIdParams,
    body: CreateNoteBody,
    ifMatch: true,
    ok: { status: 201, schema: Note, description: 'The note', etag: true, location: { template: '/v1/complaints/{id}/notes/{noteId}', description: 'The new note' } },
    errors: [404, 409, 412],
  },
  listNotes: {
    method: 'GET',
    path: '/v1/complaints/{id}/notes',
    entry: 'functions/list-notes/handler.ts',
    summary: 'Evidence-log text entries of a case',
    tag: 'evidence',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    query: CaseListQuery,
    ok: { status: 200, schema: NoteList, description: 'The notes' },
    errors: [404],
  },
  closeComplaint: {
    method: 'POST',
    path: '/v1/complaints/{id}/close',
    entry: 'functions/close-complaint/handler.ts',
    summary: 'Close with a follow-up action and root cause (owner or supervisor)',
    tag: 'complaints',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: CloseBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The closed case', etag: true },
    errors: [404, 409, 412],
  },
  markSpam: {
    method: 'POST',
    path: '/v1/complaints/{id}/spam',
    entry: 'functions/mark-spam/handler.ts',
    summary: 'Mark a case as spam (supervisor, never the owner): out of the KPIs and returns, still visible and exportable; audited and reversible',
    tag: 'complaints',
    auth: jwt(['supervisor'], undefined, NEVER_OWNER),
    params: ComplaintIdParams,
    body: MarkSpamBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The marked case', etag: true },
    errors: [403, 404, 409, 412],
  },
  markDuplicate: {
    method: 'POST',
    path: '/v1/complaints/{id}/duplicate-of',
    entry: 'functions/mark-duplicate/handler.ts',
    summary: 'Mark a case as a duplicate of another (supervisor, never the owner): the original stays counted, this one leaves the KPIs and returns; audited and reversible',
    tag: 'complaints',
    auth: jwt(['supervisor'], undefined, NEVER_OWNER),
    params: ComplaintIdParams,
    body: MarkDuplicateBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The marked case', etag: true },
    errors: [403, 404, 409, 412],
  },
  unmarkComplaint: {
    method: 'POST',
    path: '/v1/complaints/{id}/unmark',
    entry: 'functions/unmark-complaint/handler.ts',
    summary: 'Reverse a spam or duplicate marking (supervisor, never the owner): the case counts again; audited',
    tag: 'complaints',
    auth: jwt(['supervisor'], undefined, NEVER_OWNER),
    params: ComplaintIdParams,
    body: UnmarkBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The case, counted again', etag: true },
    errors: [403, 404, 409, 412],
  },
  reopenComplaint: {
    method: 'POST',
    path: '/v1/complaints/{id}/reopen',
    entry: 'functions/reopen-complaint/handler.ts',
    summary: 'Reopen with a reason; starts a new clock cycle (owner or supervisor)',
    tag: 'complaints',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: ReopenBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The reopened case', etag: true },
    errors: [404, 409, 412],
  },
  clockAction: {
    method: 'POST',
    path: '/v1/complaints/{id}/clock',
    entry: 'functions/clock-action/handler.ts',
    summary: 'Pause or resume the clock (regimes that allow a pause) or extend it to the regime’s extended deadline, with a reason (owner or supervisor)',
    tag: 'deadlines',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: ClockActionBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The case with its moved or extended deadline', etag: true },
    errors: [404, 409, 412],
  },
  getTriage: {
    method: 'GET',
    path: '/v1/complaints/{id}/triage',
    entry: 'functions/get-triage/handler.ts',
    summary: 'Suggested classification (category, severity, regulatory flag, vulnerability) with confidences, sentiment, priority and the decisions so far (owner or supervisor)',
    tag: 'triage',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    ok: { status: 200, schema: TriageView, description: 'The triage: `suggested`, or `unavailable` when the model failed or timed out', etag: true },
    errors: [403, 404],
  },
  decideTriage: {
    method: 'POST',
    path: '/v1/complaints/{id}/triage/decisions',
    entry: 'functions/decide-triage/handler.ts',
    summary: 'Accept a suggested field (value equal to the suggestion) or override it (another value, reason required); the case field changes (owner or supervisor)',
    tag: 'triage',
    auth: jwt(CASE_ACTORS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: TriageDecisionBody,
    ifMatch: true,
    ok: { status: 200, schema: TriageView, description: 'The triage with the decision; the ETag is the case version', etag: true },
    errors: [403, 404, 409, 412],
  },
  getTimeline: {
    method: 'GET',
    path: '/v1/complaints/{id}/timeline',
    entry: 'functions/get-timeline/handler.ts',
    summary: 'The hash-chained audit trail, oldest first, a page of events at a time, with the verification of the whole chain',
    tag: 'audit',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    query: CaseListQuery,
    ok: { status: 200, schema: Timeline, description: 'A page of events, and the verdict over the whole chain' },
    errors: [404],
  },
  registerEvidence: {
    method: 'POST',
    path: '/v1/complaints/{id}/evidence',
    entry: 'functions/register-evidence/handler.ts',
    summary: 'Register an evidence file and get a presigned PUT for its bytes (15 minutes)',
    tag: 'evidence',
    auth: jwt(EVIDENCE_WRITERS, undefined, OWNER_OR_EVIDENCE_WRITER),
    params: ComplaintIdParams,
    body: RegisterEvidenceBody,
    ifMatch: true,
    ok: { status: 201, schema: RegisteredEvidence, description: 'Registered (pending); PUT the bytes to upload.url with upload.headers', etag: true, location: { template: '/v1/complaints/{id}/evidence/{evidenceId}', description: 'The evidence item (GET it for its status once the bytes are uploaded)' } },
    errors: [404, 409, 412],
  },
  listEvidence: {
    method: 'GET',
    path: '/v1/complaints/{id}/evidence',
    entry: 'functions/list-evidence/handler.ts',
    summary: 'The evidence log of a case',
    tag: 'evidence',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    query: CaseListQuery,
    ok: { status: 200, schema: EvidenceList, description: 'Every evidence item, pending, verified or rejected' },
    errors: [404],
  },
  getEvidence: {
    method: 'GET',
    path: '/v1/complaints/{id}/evidence/{evidenceId}',
    entry: 'functions/get-evidence/handler.ts',
    summary: 'One evidence item; once verified, a 5-minute download link (issuing it is audited)',
    tag: 'evidence',
    auth: jwt(CASE_READERS),
    params: EvidenceParams,
    writes: true,
    auditOnly: true,
    ok: { status: 200, schema: EvidenceView, description: 'The item, with downloadUrl when verified' },
    errors: [404],
  },
  legalHold: {
    method: 'POST',
    path: '/v1/complaints/{id}/legal-hold',
    entry: 'functions/legal-hold/handler.ts',
    summary: 'Apply or release the legal hold on every stored object of the case',
    tag: 'evidence',
    auth: jwt(LEGAL_HOLDERS),
    params: ComplaintIdParams,
    body: LegalHoldBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The case with its legalHold flag', etag: true },
    errors: [404, 409, 412],
  },
  proposeResolution: {
    method: 'POST',
    path: '/v1/complaints/{id}/resolution',
    entry: 'functions/propose-resolution/handler.ts',
    summary: 'Propose the outcome; the answer lists the approval stages the rules require (possibly none; a final response that admits liability needs legal)',
    tag: 'resolution',
    auth: jwt(CASE_READERS, undefined, OWNER_ONLY),
    params: ComplaintIdParams,
    body: ProposeResolutionBody,
    ifMatch: true,
    ok: { status: 201, schema: ResolutionProposal, description: 'The proposal and its approval stages', etag: true, location: { template: '/v1/complaints/{id}/resolution', description: 'The case’s current resolution (also in the case’s resolution field)' } },
    errors: [404, 409, 412],
  },
  listCaseApprovals: {
    method: 'GET',
    path: '/v1/complaints/{id}/approvals',
    entry: 'functions/list-case-approvals/handler.ts',
    summary:
      'The approval stages of a case, every round oldest first in stage order (or one proposal’s with resolutionId): status, approver role, who decided and when, the comment, the stage carried over from a replaced round, the escalation level and when an open stage times out',
    tag: 'resolution',
    auth: jwt(CASE_READERS),
    params: ComplaintIdParams,
    query: CaseApprovalsQuery,
    ok: { status: 200, schema: CaseApprovalList, description: 'The stages, as stored (superseded and timed-out ones included); `open` marks the stage waiting for a decision now' },
    errors: [404],
  },
  listApprovals: {
    method: 'GET',
    path: '/v1/approvals',
    entry: 'functions/list-approvals/handler.ts',
    summary: 'Approval stages open for a decision (never on the caller’s own cases or proposals)',
    tag: 'resolution',
    auth: jwt(APPROVERS),
    query: PendingApprovalsQuery,
    ok: { status: 200, schema: ApprovalPage, description: 'Open stages, oldest first' },
  },
  decideApproval: {
    method: 'POST',
    path: '/v1/approvals/{approvalId}/decision',
    entry: 'functions/decide-approval/handler.ts',
    summary: 'Approve or reject an open approval stage (four eyes)',
    tag: 'resolution',
    auth: jwt(APPROVERS, undefined, { notOwner: true, detail: 'a stage is decided by its own role (a supervisor stage also by admin; compliance, legal and admin stages by that role only), never by the proposer or by whoever decided another stage of the proposal' }),
    params: ApprovalIdParams,
    body: ApprovalDecisionBody,
    ifMatch: true,
    ok: { status: 200, schema: Approval, description: 'The decided stage; the ETag is its case’s version (If-Match takes the case’s ETag)', etag: true },
    errors: [404, 409, 412],
  },
  sendFinalResponse: {
    method: 'POST',
    path: '/v1/complaints/{id}/final-response',
    entry: 'functions/send-final-response/handler.ts',
    summary:
      'Send the approved final response (the approved finalResponse in the regime’s letter) once no approval is pending or rejected; the clock stops. 409 for other text (final_response_not_approved: propose it), for approvals that no longer cover the case’s flags (approvals_outstanding) and for an admission of liability legal did not approve',
    tag: 'resolution',
    auth: jwt(CASE_READERS, undefined, OWNER_ONLY),
    params: ComplaintIdParams,
    body: FinalResponseBody,
    ifMatch: true,
    ok: { status: 200, schema: Case, description: 'The resolved case', etag: true },
    errors: [404, 409, 412],
  },
  previewLetter: {
    method: 'GET',
    path: '/v1/complaints/{id}/letters/{kind}',
    entry: 'functions/preview-letter/handler.ts',
    summary: 'Preview a customer letter (acknowledgement, holding, summary_resolution, final_response) rendered for the case’s regime (owner, supervisor, compliance)',
    tag: 'letters',
    // The owner (through a case-reading role), a supervisor or compliance: the domain checks who owns the case.
    auth: jwt(CASE_READERS, undefined, { ownerOr: ['supervisor', 'compliance'] }),
    params: LetterParams,
    ok: { status: 200, schema: LetterPreview, description: 'The rendered letter (not sent) with its template id, version and merge fields' },
    errors: [403, 404, 409],
  },
  raiseEscalation: {
    method: 'POST',
    path: '/v1/complaints/{id}/escalations',
    entry: 'functions/raise-escalation/handler.ts',
    summary: 'Escalate the case now: by its owner (manual) or a supervisor (override); the team supervisors are notified',
    tag: 'escalation',
    auth: jwt(CASE_READERS, undefined, OWNER_OR_SUPERVISOR),
    params: ComplaintIdParams,
    body: EscalationBody,
    ifMatch: true,
    ok: { status: 201, schema: Escalation, description: 'The escalation record', etag: true, location: { template: '/v1/complaints/{id}/escalations/{escalationId}', description: 'The new escalation' } },
    errors: [404, 409, 412],
  },
  acknowledgeEscalation: {
    method: 'POST',
    path: '/v1/complaints/{id}/escalations/{escalationId}/acknowledgement',
    entry: 'functions/acknowledge-escalation/handler.ts',
    summary: 'Acknowledge an open escalation (a manager at its current level or below, never the case owner); it stops climbing',
    tag: 'escalation',
    auth: jwt(ESCALATION_MANAGERS, undefined, { notOwner: true, detail: 'a manager told at the escalation’s current level or below (levels: supervisor, admin, compliance) or admin' }),
    params: EscalationParams,
    body: AcknowledgeEscalationBody,
    ifMatch: true,
    ok: { status: 200, schema: Escalation, description: 'The acknowledged escalation; the ETag is the case version', etag: true },
    errors: [404, 409, 412],
  },
  waiveEscalation: {
    method: 'POST',
    path: '/v1/complaints/{id}/escalation-waivers',
    entry: 'functions/waive-escalation/handler.ts',
    summary: 'Decide not to escalate a raised risk (justification ≥ 20 characters; a manager who may acknowledge that escalation, never the case owner); stops its open escalation',
    tag: 'escalation',
    auth: jwt(ESCALATION_MANAGERS, undefined, { notOwner: true, detail: 'a manager who may acknowledge the escalation of that risk (level 1 when none is open: supervisor or admin)' }),
    params: ComplaintIdParams,
    body: EscalationWaiverBody,
    ifMatch: true,
    ok: { status: 201, schema: WaiverResult, description: 'The waiver and the escalation it stopped', etag: true, location: { template: '/v1/complaints/{id}', description: 'The case, whose waivers list holds the new waiver (a waiver has no identity of its own)' } },
    errors: [404, 409, 412],
  },
  // The literal path comes before /v1/exports/{exportId}: the local router takes the first match (API Gateway prefers literals).
  exportPublicKey: {
    method: 'GET',
    path: '/v1/exports/public-key',
    entry: 'functions/export-public-key/handler.ts',
    summary: 'The public key (P-256, SPKI PEM) that verifies export manifests; compare it with the one a bundle carries',
    tag: 'exports',
    auth: jwt(ANY_USER),
    ok: { status: 200, schema: PublicKeyView, description: 'The verification key' },
  },
  requestExport: {
    method: 'POST',
    path: '/v1/complaints/{id}/exports',
    entry: 'functions/request-export/handler.ts',
    summary: 'Build the locked, signed case bundle asynchronously (202; poll GET /v1/exports/{exportId}); while one runs, that one is returned',
    tag: 'exports',
    auth: jwt(EXPORTERS),
    params: ComplaintIdParams,
    ifMatch: true,
    auditOnly: true,
    ok: { status: 202, schema: ExportView, description: 'The export job (pending, or the one already running); the ETag is the case version, which an export does not move', etag: true, retryAfterSeconds: 2, location: { template: '/v1/exports/{exportId}', description: 'The export job to poll' } },
    errors: [404, 412],
  },
  requestRelease: {
    method: 'POST',
    path: '/v1/complaints/{id}/releases',
    entry: 'functions/request-release/handler.ts',
    summary: 'Ask to release the case to a named recipient outside the organisation (legal discovery, regulator request): nothing leaves until one legal and one compliance approver, neither the requester nor the owner, approve',
    tag: 'exports',
    auth: jwt(RELEASE_REQUESTERS),
    params: ComplaintIdParams,
    body: RequestReleaseBody,
    ifMatch: true,
    ok: { status: 201, schema: Release, description: 'The pending release', etag: true, location: { template: '/v1/complaints/{id}/releases/{releaseId}', description: 'The release request' } },
    errors: [404, 409, 412],
  },
  getRelease: {
    method: 'GET',
    path: '/v1/complaints/{id}/releases/{releaseId}',
    entry: 'functions/get-release/handler.ts',
    summary: 'A release request with its approvals and, once approved, the export built for the recipient',
    tag: 'exports',
    auth: jwt(RELEASE_REQUESTERS),
    params: ReleaseParams,
    ok: { status: 200, schema: Release, description: 'The release' },
    errors: [404],
  },
  decideRelease: {
    method: 'POST',
    path: '/v1/complaints/{id}/releases/{releaseId}/decision',
    entry: 'functions/decide-release/handler.ts',
    summary: 'Approve or reject a release (legal and compliance; never the requester or the case owner); the second approval builds the bundle for the recipient, the approvals in its signed manifest',
    tag: 'exports',
    auth: jwt(RELEASE_APPROVERS, undefined, { notOwner: true, detail: 'never the requester; one legal and one compliance approval, each by a different person (release.ts)' }),
    params: ReleaseParams,
    body: ReleaseDecisionBody,
    ifMatch: true,
    ok: { status: 200, schema: Release, description: 'The release after this decision (with exportId once approved)', etag: true },
    errors: [403, 404, 409, 412],
  },
  getExport: {
    method: 'GET',
    path: '/v1/exports/{exportId}',
    entry: 'functions/get-export/handler.ts',
    summary: 'The export job; once ready, its SHA-256, retention and a 5-minute download link (issuing it is audited)',
    tag: 'exports',
    auth: jwt(EXPORTERS),
    params: ExportParams,
    writes: true,
    auditOnly: true,
    ok: { status: 200, schema: ExportView, description: 'The export job' },
    errors: [404],
  },
  customerComplaints: {
    method: 'GET',
    path: '/v1/customers/{customerId}/complaints',
    entry: 'functions/customer-complaints/handler.ts',
    summary: 'A person’s cases, newest first, for a data-subject (subject access) request',
    tag: 'exports',
    auth: jwt(['compliance']),
    params: CustomerParams,
    query: CustomerComplaintsQuery,
    ok: { status: 200, schema: CasePage, description: 'The customer’s cases' },
  },
  // Public (no JWT): the single-use signed token in the path is the credential; throttled per route on the stage.
  submitFeedback: {
    method: 'POST',
    path: '/v1/feedback/{token}',
    entry: 'functions/submit-feedback/handler.ts',
    summary: 'The customer’s satisfaction (score 1–5, optional comment) through the signed, single-use link sent after the final response',
    tag: 'feedback',
    auth: { kind: 'public' },
    params: FeedbackParams,
    body: FeedbackBody,
    throttle: { rateLimit: 5, burstLimit: 10 },
    // The token is the customer's credential (single use, but valid until used): never logged.
    credentialParams: ['token'],
    ok: { status: 200, schema: FeedbackReceipt, description: 'Recorded on the case' },
    errors: [401, 410, 429],
  },
  // Public in the route table (no JWT): each delivery is authenticated by its provider's HMAC signature instead.
  helpdeskIntake: {
    method: 'POST',
    path: '/v1/intake/helpdesk/{provider}',
    entry: 'functions/helpdesk-intake/handler.ts',
    summary:
      'Escalate a helpdesk ticket into a complaint (zendesk, jira, servicenow, generic). Signed: zendesk with x-zendesk-webhook-signature (base64 HMAC-SHA256 of timestamp + body) and x-zendesk-webhook-signature-timestamp; the others with x-complaints-signature (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">) and x-complaints-timestamp; 5-minute replay window. De-duplicated on the ticket: a repeated delivery answers 200 with its case; a ticket whose case is closed opens a linked repeat complaint (201)',
    tag: 'intake',
    auth: { kind: 'public' },
    // Helpdesks deliver in bursts (a bulk ticket update); a signature check is cheap but still a function run each.
    throttle: { rateLimit: 20, burstLimit: 50 },
    params: HelpdeskParams,
    signedBody: HelpdeskEscalationBody,
    ok: {
      status: 201,
      schema: HelpdeskIntakeResult,
      description: 'A new case (or a repeat of a closed one)',
      etag: true,
      location: { template: '/v1/complaints/{id}', description: 'The case of the ticket' },
      also: { status: 200, description: 'A repeated delivery: the ticket already has an open case, which is answered again (nothing is created)' },
    },
    errors: [401, 404],
  },
  inboundRejections: {
    method: 'GET',
    path: '/v1/intake/rejections',
    entry: 'functions/list-inbound-rejections/handler.ts',
    summary: 'Inbound emails refused on a day (too large, malformed MIME, no sender), with where the raw message is kept',
    tag: 'intake',
    auth: jwt(['admin', 'compliance', 'supervisor']),
    query: InboundRejectionsQuery,
    ok: { status: 200, schema: InboundRejectionList, description: 'The day’s rejections, oldest first' },
  },
  replayInboundRejection: {
    method: 'POST',
    path: '/v1/intake/rejections/{id}/replay',
    entry: 'functions/replay-inbound-rejection/handler.ts',
    summary:
      'Run a recorded rejection’s stored raw message through the email intake again (e.g. after the limit was raised or a fault fixed). Idempotent: replaying twice yields one case; the rejection records the replay with its case',
    tag: 'intake',
    auth: jwt(['admin']),
    params: InboundRejectionParams,
    // It reads the rejection only; the inbound-email function it invokes writes the replay and the case.
    writes: false,
    ok: { status: 200, schema: InboundReplayResult, description: 'The case the message is now in, and the rejection marked replayed' },
    errors: [404, 409, 410],
  },
  setAvailability: {
    method: 'PUT',
    path: '/v1/staff/{id}/availability',
    entry: 'functions/set-availability/handler.ts',
    summary: 'Set a person’s out-of-office periods, capacity and skills (used by assignment); their cases due during an absence are flagged to the supervisors with a suggested owner',
    tag: 'staff',
    auth: jwt(['admin', 'supervisor']),
    params: StaffParams,
    body: AvailabilityBody,
    ifMatch: true,
    ok: { status: 200, schema: AvailabilityResult, description: 'The stored availability and the cases flagged', etag: true },
    errors: [403, 412],
  },
  createWebhook: {
    method: 'POST',
    path: '/v1/webhooks',
    entry: 'functions/create-webhook/handler.ts',
    summary: 'Subscribe a URL to published event types; the signing secret is in this response only',
    tag: 'webhooks',
    auth: jwt(['admin']),
    body: CreateWebhookBody,
    ok: { status: 201, schema: CreatedWebhook, description: 'The subscription and its signing secret (shown once)', location: { template: '/v1/webhooks/{id}', description: 'The new subscription' } },
  },
  listWebhooks: {
    method: 'GET',
    path: '/v1/webhooks',
    entry: 'functions/list-webhooks/handler.ts',
    summary: 'Subscriptions, newest first (deleted ones too, marked deleted)',
    tag: 'webhooks',
    auth: jwt(['admin']),
    query: WebhookListQuery,
    ok: { status: 200, schema: WebhookPage, description: 'The subscriptions' },
  },
  deleteWebhook: {
    method: 'DELETE',
    path: '/v1/webhooks/{id}',
    entry: 'functions/delete-webhook/handler.ts',
    summary: 'Stop a subscription: no further deliveries (pending retries are cancelled); it and its deliveries stay readable',
    tag: 'webhooks',
    auth: jwt(['admin']),
    params: WebhookParams,
    ok: { status: 200, schema: Webhook, description: 'The subscription, now deleted' },
    errors: [404],
  },
  listWebhookDeliveries: {
    method: 'GET',
    path: '/v1/webhooks/{id}/deliveries',
    entry: 'functions/list-webhook-deliveries/handler.ts',
    summary: 'Deliveries of a subscription, newest first, with every attempt (status code, latency, error class, next attempt)',
    tag: 'webhooks',
    auth: jwt(['admin']),
    params: WebhookParams,
    query: WebhookListQuery,
    ok: { status: 200, schema: DeliveryPage, description: 'The deliveries' },
    errors: [404],
  },
  createProblem: {
    method: 'POST',
    path: '/v1/problems',
    entry: 'functions/create-problem/handler.ts',
    summary: 'Open a problem record (scope, root cause, fix, ServiceNow/Jira ids), optionally linking complaints with a reason; audited in its own hash chain',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    body: CreateProblemBody,
    ok: { status: 201, schema: ProblemRecord, description: 'The new problem', etag: true, location: { template: '/v1/problems/{id}', description: 'The new problem' } },
    errors: [409],
  },
  listProblems: {
    method: 'GET',
    path: '/v1/problems',
    entry: 'functions/list-problems/handler.ts',
    summary: 'Problems, newest first, optionally by status',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    query: ProblemListQuery,
    ok: { status: 200, schema: ProblemPage, description: 'A page of problems' },
  },
  getProblem: {
    method: 'GET',
    path: '/v1/problems/{id}',
    entry: 'functions/get-problem/handler.ts',
    summary: 'A problem with its linked complaints (who linked each, when and why)',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    ok: { status: 200, schema: ProblemRecord, description: 'The problem', etag: true },
    errors: [404],
  },
  updateProblem: {
    method: 'PATCH',
    path: '/v1/problems/{id}',
    entry: 'functions/update-problem/handler.ts',
    summary: 'Amend an open problem: title, scope, root cause, fix and its date, external ids',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    body: UpdateProblemBody,
    ifMatch: true,
    ok: { status: 200, schema: ProblemRecord, description: 'The updated problem', etag: true },
    errors: [404, 409, 412],
  },
  linkProblemComplaint: {
    method: 'POST',
    path: '/v1/problems/{id}/complaints',
    entry: 'functions/link-problem-complaint/handler.ts',
    summary: 'Link a complaint to an open problem, with a reason',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    body: LinkComplaintBody,
    ifMatch: true,
    ok: { status: 200, schema: ProblemRecord, description: 'The problem with the new link', etag: true },
    errors: [404, 409, 412],
  },
  unlinkProblemComplaint: {
    method: 'DELETE',
    path: '/v1/problems/{id}/complaints/{caseId}',
    entry: 'functions/unlink-problem-complaint/handler.ts',
    summary: 'Unlink a complaint from an open problem (`?reason=` required); the link stays in the audit trail',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemLinkParams,
    query: UnlinkQuery,
    ifMatch: true,
    ok: { status: 200, schema: ProblemRecord, description: 'The problem without the link', etag: true },
    errors: [404, 409, 412],
  },
  closeProblem: {
    method: 'POST',
    path: '/v1/problems/{id}/close',
    entry: 'functions/close-problem/handler.ts',
    summary: 'Close a problem once its root cause and fix are recorded; the owners of linked open complaints are notified',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    body: CloseProblemBody,
    ifMatch: true,
    ok: { status: 200, schema: ProblemRecord, description: 'The closed problem', etag: true },
    errors: [404, 409, 412],
  },
  problemTimeline: {
    method: 'GET',
    path: '/v1/problems/{id}/timeline',
    entry: 'functions/problem-timeline/handler.ts',
    summary: 'The problem’s audit trail, oldest first, a page of events at a time, with the verdict of its whole hash chain',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    query: CaseListQuery,
    ok: { status: 200, schema: ProblemTimeline, description: 'A page of events, and the verdict over the whole chain' },
    errors: [404],
  },
  problemEffect: {
    method: 'GET',
    path: '/v1/problems/{id}/effect',
    entry: 'functions/problem-effect/handler.ts',
    summary: 'Did the fix work: complaints per week in scope before and after the fix date, the rate ratio with an exact Poisson interval, and a verdict',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: ProblemParams,
    query: EffectQuery,
    ok: { status: 200, schema: ProblemEffect, description: 'Weekly counts from the reporting projection, ratio, interval, verdict' },
    errors: [404, 409],
  },
  listProblemSuggestions: {
    method: 'GET',
    path: '/v1/problem-suggestions',
    entry: 'functions/list-problem-suggestions/handler.ts',
    summary: 'Suggested problems (or links to an open problem) from groups of similar recent complaints, with the evidence',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    query: SuggestionListQuery,
    ok: { status: 200, schema: SuggestionPage, description: 'A page of suggestions, newest first' },
  },
  acceptProblemSuggestion: {
    method: 'POST',
    path: '/v1/problem-suggestions/{suggestionId}/accept',
    entry: 'functions/accept-problem-suggestion/handler.ts',
    summary: 'Accept a suggestion with a reason: the problem is opened (or the complaints linked to the suggested one)',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: SuggestionParams,
    body: AcceptSuggestionBody,
    ok: { status: 200, schema: SuggestionDecision, description: 'The decided suggestion and the problem' },
    errors: [404, 409],
  },
  dismissProblemSuggestion: {
    method: 'POST',
    path: '/v1/problem-suggestions/{suggestionId}/dismiss',
    entry: 'functions/dismiss-problem-suggestion/handler.ts',
    summary: 'Dismiss a suggestion with a reason',
    tag: 'problems',
    auth: jwt(PROBLEM_MANAGERS),
    params: SuggestionParams,
    body: DismissSuggestionBody,
    ok: { status: 200, schema: SuggestionDecision, description: 'The dismissed suggestion' },
    errors: [404, 409],
  },
  createChange: {
    method: 'POST',
    path: '/v1/changes',
    entry: 'functions/create-change/handler.ts',
    summary: 'Record a change (deployment, configuration, pricing) for spike correlation; a repeat of the same source and externalId is the same change',
    tag: 'problems',
    auth: jwt(['admin'], [INTAKE_SCOPE]),
    body: CreateChangeBody,
    ok: { status: 201, schema: Change, description: 'The recorded change', location: { template: '/v1/changes/{id}', description: 'The change (listed with the spikes it precedes)' } },
  },
  spikeReport: {
    method: 'GET',
    path: '/v1/reports/spikes',
    entry: 'functions/report-spikes/handler.ts',
    summary: 'Complaint volume spikes per product and category in a range of days, each with the changes in the 72 hours before it',
    tag: 'reports',
    auth: jwt(REPORT_READERS),
    query: SpikesQuery,
    ok: { status: 200, schema: SpikePage, description: 'Spikes, oldest first' },
  },
} as const satisfies Record<string, RouteDef>;

export type RouteId = keyof typeof ROUTES;
export type Route<K extends RouteId> = (typeof ROUTES)[K];

export const routeList = (): (RouteDef & { id: RouteId })[] => (Object.keys(ROUTES) as RouteId[]).map((id) => ({ id, ...(ROUTES[id] as RouteDef) }));

/** The Location of a 201/202 of route `id` (route-helpers.ts fills it). */
export const locationOf = (id: RouteId, values: Readonly<Record<string, string>>): string => locationIn({ id, ...(ROUTES[id] as RouteDef) }, values);

/** The API Gateway route key ("POST /v1/complaints/{id}/owner"). */
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;

export { Problem };
export { isPaged };
