// Channel intake: helpdesk escalation payloads per provider (Zendesk, Jira Service Management, ServiceNow, generic),
// the intake answer, and the record of rejected inbound messages. One definition for validation, types and OpenAPI.
import * as z from 'zod';
import { HELPDESK_PROVIDERS } from './constants';
import { Cursor, IsoTimestamp, ListLimit, Ulid, pageOf } from './common';
import { Case, Category, RegimeId } from './complaint';
import { ExternalIdText, SourceRecordType } from './classification';

export { HELPDESK_PROVIDERS };
export const HelpdeskProvider = /* @__PURE__ */ z.enum(HELPDESK_PROVIDERS);
export type HelpdeskProvider = z.infer<typeof HelpdeskProvider>;

/** The path segment: any short token, so an unknown provider is a 404 (not a 400) and names what was asked for. */
export const HelpdeskParams = /* @__PURE__ */ z.object({ provider: /* @__PURE__ */ z.string().trim().min(1).max(40).regex(/^[a-z0-9-]+$/, 'must be a provider name such as zendesk') }).strict();

const TicketId = /* @__PURE__ */ z.union([/* @__PURE__ */ z.string().trim().min(1).max(100), /* @__PURE__ */ z.number().int().nonnegative()]).transform(String);
const Name = /* @__PURE__ */ z.string().trim().min(1).max(200);
const Email = /* @__PURE__ */ z.email().max(254);
const Body = /* @__PURE__ */ z.string().trim().min(1).max(20000);

/** What the organisation may state about the complaint in any provider's payload; defaults come from configuration. */
export const ComplaintHints = /* @__PURE__ */ z
  .object({
    regime: /* @__PURE__ */ RegimeId.optional(),
    category: /* @__PURE__ */ Category.optional(),
    product: /* @__PURE__ */ z.string().trim().min(1).max(120).optional(),
    vulnerable: /* @__PURE__ */ z.boolean().optional(),
    recordType: /* @__PURE__ */ SourceRecordType.optional().meta({ description: 'What the ticket is in the helpdesk: complaint, incident or service request (ServiceNow: inferred from the number, INC… incident, REQ…/RITM… service request)' }),
    incidentIds: /* @__PURE__ */ z.array(ExternalIdText).max(20).optional().meta({ description: 'Incident/problem ids the complaint relates to; they travel with the case so problems can be linked' }),
    technicalOutage: /* @__PURE__ */ z.boolean().optional().meta({ description: 'The ticket reports a technical outage or fault' }),
    customerDissatisfied: /* @__PURE__ */ z.boolean().optional().meta({ description: 'The customer expressed dissatisfaction (the complaint definition, e.g. FCA DISP glossary)' }),
    customerSaysComplaint: /* @__PURE__ */ z.boolean().optional().meta({ description: 'The customer called it a complaint' }),
  })
  .strict()
  .meta({
    id: 'HelpdeskComplaintHints',
    description:
      'Optional classification; otherwise HELPDESK_DEFAULT_REGIME, category other, product from the ticket or "unspecified". A technical outage without dissatisfaction is not a complaint unless the customer says so (HELPDESK_OUTAGE_RULE)',
  });

/**
 * An attachment carried in the payload. `contentBase64` (at most ~7 MiB per file, within the request limit) is
 * stored in the evidence vault and verified; a file only linked by `url` is recorded in the evidence log with its
 * link (the service never fetches helpdesk URLs itself: no outbound calls to addresses a payload chooses).
 */
export const TicketAttachment = /* @__PURE__ */ z
  .object({
    fileName: /* @__PURE__ */ z.string().trim().min(1).max(255),
    contentType: /* @__PURE__ */ z.string().trim().min(3).max(127),
    url: /* @__PURE__ */ z.url().max(2048).optional(),
    contentBase64: /* @__PURE__ */ z.base64().max(10 * 1024 * 1024).optional(),
  })
  .strict()
  .meta({ id: 'HelpdeskAttachment' });

/** Zendesk: a webhook whose JSON body is built in a trigger from ticket placeholders ({{ticket.id}}, {{ticket.requester.email}} …). */
export const ZendeskPayload = /* @__PURE__ */ z
  .object({
    ticket: /* @__PURE__ */ z
      .object({
        id: TicketId,
        subject: /* @__PURE__ */ z.string().trim().min(1).max(300),
        description: Body,
        url: /* @__PURE__ */ z.url().max(2048).optional(),
        created_at: /* @__PURE__ */ IsoTimestamp.optional(),
        tags: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string().max(100)).max(100).optional(),
        requester: /* @__PURE__ */ z.object({ id: TicketId, name: Name, email: /* @__PURE__ */ Email.optional(), phone: /* @__PURE__ */ z.string().max(32).optional() }).strict(),
        comments: /* @__PURE__ */ z
          .array(/* @__PURE__ */ z.object({ id: /* @__PURE__ */ TicketId.optional(), author: /* @__PURE__ */ z.object({ name: Name, role: /* @__PURE__ */ z.enum(['end-user', 'agent', 'admin']).optional() }).strict(), body: Body, created_at: /* @__PURE__ */ IsoTimestamp.optional(), public: /* @__PURE__ */ z.boolean().optional() }).strict())
          .max(200)
          .optional(),
        attachments: /* @__PURE__ */ z.array(TicketAttachment).max(20).optional(),
      })
      .strict(),
    complaint: /* @__PURE__ */ ComplaintHints.optional(),
  })
  .strict()
  .meta({ id: 'ZendeskEscalation', description: 'Zendesk trigger/webhook body (JSON built from ticket placeholders)' });

/** Jira Service Management: the issue as an automation rule's "Send web request" sends it ({{issue.key}}, {{issue.fields.*}}). */
export const JiraPayload = /* @__PURE__ */ z
  .object({
    issue: /* @__PURE__ */ z
      .object({
        key: /* @__PURE__ */ z.string().trim().regex(/^[A-Z][A-Z0-9_]+-\d+$/, 'must be an issue key such as HELP-42'),
        fields: /* @__PURE__ */ z
          .object({
            summary: /* @__PURE__ */ z.string().trim().min(1).max(300),
            description: Body,
            created: /* @__PURE__ */ IsoTimestamp.optional(),
            labels: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string().max(100)).max(100).optional(),
            reporter: /* @__PURE__ */ z.object({ accountId: TicketId, displayName: Name, emailAddress: /* @__PURE__ */ Email.optional() }).strict(),
            comment: /* @__PURE__ */ z
              .object({ comments: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ id: /* @__PURE__ */ TicketId.optional(), author: /* @__PURE__ */ z.object({ displayName: Name }).strict(), body: Body, created: /* @__PURE__ */ IsoTimestamp.optional() }).strict()).max(200) })
              .strict()
              .optional(),
            attachment: /* @__PURE__ */ z.array(TicketAttachment).max(20).optional(),
          })
          .strict(),
      })
      .strict(),
    complaint: /* @__PURE__ */ ComplaintHints.optional(),
  })
  .strict()
  .meta({ id: 'JiraServiceManagementEscalation', description: 'Jira Service Management issue (automation "Send web request" with the issue data)' });

/** ServiceNow: a business rule's outbound REST message with the incident's fields. */
export const ServiceNowPayload = /* @__PURE__ */ z
  .object({
    sys_id: /* @__PURE__ */ z.string().trim().regex(/^[0-9a-f]{32}$/, 'must be a 32-character sys_id'),
    number: /* @__PURE__ */ z.string().trim().min(1).max(40),
    short_description: /* @__PURE__ */ z.string().trim().min(1).max(300),
    description: Body,
    opened_at: /* @__PURE__ */ IsoTimestamp.optional(),
    caller: /* @__PURE__ */ z.object({ sys_id: TicketId, name: Name, email: /* @__PURE__ */ Email.optional() }).strict(),
    work_notes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ author: Name, value: Body, created_on: /* @__PURE__ */ IsoTimestamp.optional() }).strict()).max(200).optional(),
    attachments: /* @__PURE__ */ z.array(TicketAttachment).max(20).optional(),
    complaint: /* @__PURE__ */ ComplaintHints.optional(),
  })
  .strict()
  .meta({ id: 'ServiceNowEscalation', description: 'ServiceNow incident (outbound REST message from a business rule)' });

/** The generic shape, for any other helpdesk or an in-house tool. */
export const GenericPayload = /* @__PURE__ */ z
  .object({
    system: /* @__PURE__ */ z.string().trim().min(1).max(40).regex(/^[\w.-]+$/, 'must be a system name').meta({ description: 'Your helpdesk’s name; externalRef.system is "generic.<system>"' }),
    ticketId: TicketId,
    subject: /* @__PURE__ */ z.string().trim().min(1).max(300),
    description: Body,
    openedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    customer: /* @__PURE__ */ z.object({ id: TicketId, name: Name, email: /* @__PURE__ */ Email.optional(), phone: /* @__PURE__ */ z.string().max(32).optional() }).strict(),
    history: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ author: Name, fromCustomer: /* @__PURE__ */ z.boolean().optional(), body: Body, at: /* @__PURE__ */ IsoTimestamp.optional() }).strict()).max(200).optional(),
    attachments: /* @__PURE__ */ z.array(TicketAttachment).max(20).optional(),
    complaint: /* @__PURE__ */ ComplaintHints.optional(),
  })
  .strict()
  .meta({ id: 'GenericHelpdeskEscalation', description: 'The documented generic helpdesk shape' });

export const HELPDESK_PAYLOADS = { zendesk: ZendeskPayload, jira: JiraPayload, servicenow: ServiceNowPayload, generic: GenericPayload } as const satisfies Record<HelpdeskProvider, z.ZodType>;

/** Documents the request body of POST /v1/intake/helpdesk/{provider} (one of the provider shapes). */
export const HelpdeskEscalationBody = /* @__PURE__ */ z.union([ZendeskPayload, JiraPayload, ServiceNowPayload, GenericPayload]).meta({ id: 'HelpdeskEscalation' });

export const INTAKE_OUTCOMES = ['created', 'existing', 'repeat', 'attached'] as const;
export const IntakeOutcome = /* @__PURE__ */ z.enum(INTAKE_OUTCOMES);
export type IntakeOutcome = z.infer<typeof IntakeOutcome>;

export const HelpdeskIntakeResult = /* @__PURE__ */ z
  .object({
    outcome: /* @__PURE__ */ IntakeOutcome.meta({ description: 'created (201), existing: this ticket’s open case (200), repeat: a new case linked to the closed one (201)' }),
    case: Case,
    notesAdded: /* @__PURE__ */ z.number().int(),
    evidence: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ evidenceId: Ulid, fileName: /* @__PURE__ */ z.string(), sha256: /* @__PURE__ */ z.string() })),
    linkedAttachments: /* @__PURE__ */ z.number().int().meta({ description: 'Attachments only linked by URL, recorded as evidence-log notes' }),
  })
  .meta({ id: 'HelpdeskIntakeResult' });
export type HelpdeskIntakeResult = z.infer<typeof HelpdeskIntakeResult>;

/** `intake_failed`: the message was stored but its processing failed (recorded so that staff can replay it; nothing is lost). */
export const INBOUND_REJECTION_REASONS = ['too_large', 'malformed', 'no_sender', 'unreadable', 'virus', 'unverified_sender', 'intake_failed'] as const;
export const InboundRejectionReason = /* @__PURE__ */ z.enum(INBOUND_REJECTION_REASONS);

/** What a replay of a rejection produced (recorded once on the rejection: a second replay answers the same). */
export const InboundReplay = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    reference: /* @__PURE__ */ z.string(),
    outcome: /* @__PURE__ */ z.enum(['created', 'attached', 'existing']).meta({ description: 'created: a new case; attached: added to the sender’s case; existing: the message was already in a case' }),
    at: IsoTimestamp,
    by: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'InboundReplay' });
export type InboundReplay = z.infer<typeof InboundReplay>;

export const InboundRejection = /* @__PURE__ */ z
  .object({
    id: Ulid,
    channel: /* @__PURE__ */ z.literal('email'),
    reason: InboundRejectionReason,
    detail: /* @__PURE__ */ z.string(),
    sizeBytes: /* @__PURE__ */ z.number().int(),
    objectKey: /* @__PURE__ */ z.string().meta({ description: 'Where the raw message is kept (the inbound mail bucket)' }),
    from: /* @__PURE__ */ z.string().optional(),
    subject: /* @__PURE__ */ z.string().optional(),
    receivedAt: IsoTimestamp,
    replay: /* @__PURE__ */ InboundReplay.optional().meta({ description: 'Present once the message was replayed into a case (POST /v1/intake/rejections/{id}/replay)' }),
  })
  .meta({ id: 'InboundRejection' });
export type InboundRejection = z.infer<typeof InboundRejection>;

export const InboundRejectionsQuery = /* @__PURE__ */ z.object({ day: /* @__PURE__ */ z.iso.date().meta({ description: 'UTC day the message was received (YYYY-MM-DD)' }), limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();
export const InboundRejectionList = /* @__PURE__ */ pageOf(InboundRejection, 'InboundRejectionList');

export const InboundRejectionParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();

export const InboundReplayResult = /* @__PURE__ */ z
  .object({
    outcome: /* @__PURE__ */ z.enum(['replayed', 'already_replayed']).meta({ description: 'replayed: this call ran the intake; already_replayed: an earlier replay did (same case)' }),
    caseId: Ulid,
    reference: /* @__PURE__ */ z.string(),
    rejection: InboundRejection,
  })
  .meta({ id: 'InboundReplayResult' });
export type InboundReplayResult = z.infer<typeof InboundReplayResult>;

/**
 * The replay route's request to the inbound-email function (a synchronous Lambda invocation: only that route's role may
 * invoke the function, besides EventBridge), so MIME parsing stays in the one function that reads raw mail (issue 28).
 */
export const InboundReplayInvocation = /* @__PURE__ */ z.object({ kind: /* @__PURE__ */ z.literal('replay'), rejectionId: Ulid, actor: /* @__PURE__ */ z.string().min(1).max(200) }).strict();
export type InboundReplayInvocation = z.infer<typeof InboundReplayInvocation>;

/** The refusals a replay answers as the route's 404, 409 and 410 (domain errors cannot cross the invocation as such). */
export const INBOUND_REPLAY_REFUSALS = ['not_found', 'conflict', 'gone'] as const;

/** The inbound-email function's answer to a replay: the result, or the refusal the route answers. */
export const InboundReplayReply = /* @__PURE__ */ z.discriminatedUnion('ok', [
  /* @__PURE__ */ z.object({ ok: /* @__PURE__ */ z.literal(true), result: InboundReplayResult }).strict(),
  /* @__PURE__ */ z.object({ ok: /* @__PURE__ */ z.literal(false), refusal: /* @__PURE__ */ z.enum(INBOUND_REPLAY_REFUSALS), message: /* @__PURE__ */ z.string(), reason: /* @__PURE__ */ z.string().optional().meta({ description: 'Why the message is still refused (409)' }) }).strict(),
]);
export type InboundReplayReply = z.infer<typeof InboundReplayReply>;

export const EmailIntakeResult = /* @__PURE__ */ z
  .discriminatedUnion('outcome', [
    /* @__PURE__ */ z.object({
      outcome: /* @__PURE__ */ z.enum(['created', 'attached', 'existing']),
      caseId: Ulid,
      reference: /* @__PURE__ */ z.string(),
      notesAdded: /* @__PURE__ */ z.number().int(),
      evidence: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ evidenceId: Ulid, fileName: /* @__PURE__ */ z.string(), sha256: /* @__PURE__ */ z.string() })),
      skippedAttachments: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ fileName: /* @__PURE__ */ z.string(), reason: /* @__PURE__ */ z.string() })),
      unverifiedSender: /* @__PURE__ */ z.literal(true).optional().meta({ description: 'The sender was not authenticated: a complaint of its own was opened, never an existing case' }),
    }),
    /* @__PURE__ */ z.object({ outcome: /* @__PURE__ */ z.literal('rejected'), rejection: InboundRejection }),
  ])
  .meta({ id: 'EmailIntakeResult' });
export type EmailIntakeResult = z.infer<typeof EmailIntakeResult>;
