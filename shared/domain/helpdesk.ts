// Helpdesk escalation, pure: how each provider signs a delivery (verified in constant time, 5-minute replay window)
// and how its ticket maps onto a complaint, its history (evidence-log notes) and its attachments.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as z from 'zod';
import type { CreateNoteBody } from '#schemas/children';
import type { CreateComplaintBody } from '#schemas/complaint';
import { HELPDESK_PAYLOADS, HELPDESK_PROVIDERS, type HelpdeskProvider } from '#schemas/channels';
import type { FieldError } from './errors';

/** A delivery signed longer ago (or further ahead) than this is refused as a possible replay. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

/**
 * The headers each provider signs with. Zendesk's are its own (base64 HMAC-SHA256 of timestamp + body); the others
 * use one shared-secret scheme we define: `X-Complaints-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`
 * with `X-Complaints-Timestamp` (Unix seconds or ISO-8601).
 */
export const SIGNATURE_HEADERS = {
  zendesk: { signature: 'x-zendesk-webhook-signature', timestamp: 'x-zendesk-webhook-signature-timestamp' },
  shared: { signature: 'x-complaints-signature', timestamp: 'x-complaints-timestamp' },
} as const;

export { EMAIL_REF_SYSTEM, isReservedExternalSystem, RESERVED_SYSTEMS_TEXT } from './reserved-systems';

export const isProvider = (p: string): p is HelpdeskProvider => (HELPDESK_PROVIDERS as readonly string[]).includes(p);

export const headersFor = (provider: HelpdeskProvider) => (provider === 'zendesk' ? SIGNATURE_HEADERS.zendesk : SIGNATURE_HEADERS.shared);

/** What each scheme signs: Zendesk concatenates timestamp and body; ours puts a dot between them (no ambiguity). */
const signedMessage = (provider: HelpdeskProvider, timestamp: string, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from(provider === 'zendesk' ? timestamp : `${timestamp}.`, 'utf8'), body]);

/** The signature header value a sender computes (used by tests, the bench and the README's curl recipe). */
export const sign = (provider: HelpdeskProvider, secret: string, timestamp: string, body: Buffer | string): string => {
  const mac = createHmac('sha256', secret).update(signedMessage(provider, timestamp, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')));
  return provider === 'zendesk' ? mac.digest('base64') : `sha256=${mac.digest('hex')}`;
};

/** Unix seconds (or milliseconds) or an ISO-8601 instant; anything else is no timestamp. */
export const parseSignatureTimestamp = (raw: string): number | undefined => {
  const t = raw.trim();
  if (/^\d{9,13}$/.test(t)) return t.length > 11 ? Number(t) : Number(t) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
};

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'stale' | 'mismatch' | 'no_secret' };

/**
 * Checks a delivery against every secret currently valid for the provider (a rotation keeps the old one for a while).
 * The comparison is constant-time over equal-length digests; the timestamp must lie within the replay window of `now`.
 */
export const verifySignature = (
  provider: HelpdeskProvider,
  secrets: readonly string[],
  headers: Record<string, string | undefined>,
  body: Buffer,
  now: string,
): SignatureVerdict => {
  const names = headersFor(provider);
  const given = headers[names.signature]?.trim();
  const stamp = headers[names.timestamp]?.trim();
  if (!given) return { ok: false, reason: 'missing_signature' };
  if (!stamp) return { ok: false, reason: 'missing_timestamp' };
  const at = parseSignatureTimestamp(stamp);
  if (at === undefined) return { ok: false, reason: 'bad_timestamp' };
  if (Math.abs(Date.parse(now) - at) > REPLAY_WINDOW_MS) return { ok: false, reason: 'stale' };
  if (secrets.length === 0) return { ok: false, reason: 'no_secret' };
  const givenBytes = Buffer.from(given, 'utf8');
  let match = false;
  for (const secret of secrets) {
    const expected = Buffer.from(sign(provider, secret, stamp, body), 'utf8');
    // Lengths differ only for a malformed header; comparing equal-length buffers keeps the check constant-time.
    const same = expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes);
    match = match || same;
  }
  return match ? { ok: true } : { ok: false, reason: 'mismatch' };
};

export interface TicketAttachmentIn {
  fileName: string;
  contentType: string;
  url?: string;
  content?: Buffer;
}

/** A ticket in the provider's terms, reduced to what a complaint needs. */
export interface MappedTicket {
  externalRef: { system: string; id: string };
  /** The complaint, as POST /v1/complaints would receive it (channel helpdesk). */
  complaint: CreateComplaintBody;
  /** The ticket's history, oldest first, as evidence-log notes. */
  history: CreateNoteBody[];
  attachments: TicketAttachmentIn[];
  /** Requester email, to match an existing customer. */
  requesterEmail?: string;
}

export interface MappingDefaults {
  regime: string;
  /**
   * A technical outage reported without dissatisfaction, where the customer does not call it a complaint, is an
   * incident, not a complaint: `refuse` (default) answers 400 naming the rule; `accept` opens the case anyway.
   */
  outageRule?: 'refuse' | 'accept';
  /** Receipt is when the ticket was escalated (now), unless the payload says when the customer first complained. */
  now: string;
}

type Out<P extends HelpdeskProvider> = z.output<(typeof HELPDESK_PAYLOADS)[P]>;

export type MappingResult = { ok: true; ticket: MappedTicket } | { ok: false; errors: FieldError[] };

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const CATEGORY_TAG = /^complaint[_-](product_issue|service_delay|billing|policy|agent_interaction|other)$/;

/** A tag such as `complaint_billing` selects the category when the payload gives none. */
const categoryFromTags = (tags: readonly string[] | undefined) => {
  for (const t of tags ?? []) {
    const m = CATEGORY_TAG.exec(t);
    if (m) return m[1] as CreateComplaintBody['category'];
  }
  return undefined;
};

const historyNote = (author: string, fromCustomer: boolean, body: string, at: string | undefined, ref: string): CreateNoteBody => ({
  kind: fromCustomer ? 'customer_statement' : 'call_note',
  // The marker names the source entry, so the log reads on its own and a reader can find it in the helpdesk.
  body: clip(`[${ref}${at ? ` ${at}` : ''}] ${author}: ${body}`, 50000),
});

const attachmentsOf = (list: readonly { fileName: string; contentType: string; url?: string | undefined; contentBase64?: string | undefined }[] | undefined): TicketAttachmentIn[] =>
  (list ?? []).map((a) => ({
    fileName: a.fileName,
    contentType: a.contentType.toLowerCase(),
    ...(a.url ? { url: a.url } : {}),
    ...(a.contentBase64 ? { content: Buffer.from(a.contentBase64, 'base64') } : {}),
  }));

type Hints = {
  regime?: string | undefined;
  category?: CreateComplaintBody['category'] | undefined;
  product?: string | undefined;
  vulnerable?: boolean | undefined;
  recordType?: SourceRecordType | undefined;
  incidentIds?: string[] | undefined;
  technicalOutage?: boolean | undefined;
  customerDissatisfied?: boolean | undefined;
  customerSaysComplaint?: boolean | undefined;
};

type SourceRecordType = NonNullable<CreateComplaintBody['sourceRecordType']>;

const complaintOf = (
  d: MappingDefaults,
  o: { customerId: string; name: string; email?: string | undefined; phone?: string | undefined; summary: string; description: string; receivedAt?: string | undefined; tags?: readonly string[] | undefined; hints?: Hints | undefined; externalRef: { system: string; id: string }; recordType?: SourceRecordType | undefined; incidentIds?: readonly string[] | undefined },
): CreateComplaintBody => ({
  customer: {
    id: o.customerId,
    name: o.name,
    ...(o.email ? { email: o.email } : {}),
    ...(o.phone && /^\+?[0-9 ()-]{5,32}$/.test(o.phone) ? { phone: o.phone } : {}),
    ...(o.hints?.vulnerable !== undefined ? { vulnerable: o.hints.vulnerable } : {}),
  },
  channel: 'helpdesk',
  summary: clip(o.summary, 300),
  description: o.description,
  product: o.hints?.product ?? 'unspecified',
  category: o.hints?.category ?? categoryFromTags(o.tags) ?? 'other',
  regime: o.hints?.regime ?? d.regime,
  // A receipt time in the future (a skewed helpdesk clock) would be refused; the escalation time is then the receipt.
  ...(o.receivedAt && Date.parse(o.receivedAt) <= Date.parse(d.now) ? { receivedAt: new Date(o.receivedAt).toISOString() } : {}),
  externalRef: o.externalRef,
  ...((o.hints?.recordType ?? o.recordType) ? { sourceRecordType: o.hints?.recordType ?? o.recordType } : {}),
  ...(o.hints?.incidentIds?.length || o.incidentIds?.length ? { incidentIds: [...new Set([...(o.incidentIds ?? []), ...(o.hints?.incidentIds ?? [])])] } : {}),
});


/** ServiceNow numbers say what the record is: INC incident, REQ/RITM/SCTASK service request (the platform's default prefixes). */
export const serviceNowRecordType = (num: string): SourceRecordType | undefined =>
  /^INC\d/.test(num) ? 'incident' : /^(REQ|RITM|SCTASK)\d/.test(num) ? 'service_request' : undefined;

/**
 * The classification rule at intake: a technical outage without expressed dissatisfaction is not a complaint, unless the
 * customer says it is one. Returns the field error when the escalation breaks it (and the rule refuses), else undefined.
 */
export const classificationError = (hints: Hints | undefined, rule: 'refuse' | 'accept' = 'refuse'): FieldError | undefined => {
  if (rule === 'accept' || !hints?.technicalOutage) return undefined;
  if (hints.customerDissatisfied || hints.customerSaysComplaint || hints.recordType === 'complaint') return undefined;
  return {
    field: 'body.complaint.customerDissatisfied',
    message: 'a technical outage without dissatisfaction is an incident, not a complaint, unless the customer says it is one (set customerDissatisfied or customerSaysComplaint)',
  };
};

const mappers: { [P in HelpdeskProvider]: (p: Out<P>, d: MappingDefaults) => MappedTicket } = {
  zendesk: ({ ticket: t, complaint }, d) => {
    const externalRef = { system: 'zendesk', id: t.id };
    return {
      externalRef,
      requesterEmail: t.requester.email,
      complaint: complaintOf(d, { customerId: `zendesk-${t.requester.id}`, name: t.requester.name, email: t.requester.email, phone: t.requester.phone, summary: t.subject, description: t.description, receivedAt: t.created_at, tags: t.tags, hints: complaint, externalRef }),
      history: (t.comments ?? []).map((c, i) => historyNote(c.author.name, (c.author.role ?? 'end-user') === 'end-user', c.body, c.created_at, `zendesk comment ${c.id ?? i + 1}${c.public === false ? ' (internal)' : ''}`)),
      attachments: attachmentsOf(t.attachments),
    };
  },
  jira: ({ issue, complaint }, d) => {
    const f = issue.fields;
    const externalRef = { system: 'jira', id: issue.key };
    return {
      externalRef,
      requesterEmail: f.reporter.emailAddress,
      complaint: complaintOf(d, { customerId: `jira-${f.reporter.accountId}`, name: f.reporter.displayName, email: f.reporter.emailAddress, summary: f.summary, description: f.description, receivedAt: f.created, tags: f.labels, hints: complaint, externalRef }),
      history: (f.comment?.comments ?? []).map((c, i) => historyNote(c.author.displayName, c.author.displayName === f.reporter.displayName, c.body, c.created, `jira comment ${c.id ?? i + 1}`)),
      attachments: attachmentsOf(f.attachment),
    };
  },
  servicenow: (p, d) => {
    const externalRef = { system: 'servicenow', id: p.sys_id };
    return {
      externalRef,
      requesterEmail: p.caller.email,
      complaint: complaintOf(d, {
        customerId: `servicenow-${p.caller.sys_id}`,
        name: p.caller.name,
        email: p.caller.email,
        summary: `${p.number}: ${p.short_description}`,
        description: p.description,
        receivedAt: p.opened_at,
        hints: p.complaint,
        externalRef,
        recordType: serviceNowRecordType(p.number),
        // An incident's own number travels with the case, so a problem naming it can be linked.
        incidentIds: /^(INC|PRB)\d{7,12}$/.test(p.number) ? [p.number] : [],
      }),
      history: (p.work_notes ?? []).map((n, i) => historyNote(n.author, n.author === p.caller.name, n.value, n.created_on, `servicenow ${p.number} work note ${i + 1}`)),
      attachments: attachmentsOf(p.attachments),
    };
  },
  generic: (p, d) => {
    const externalRef = { system: `generic:${p.system}`.slice(0, 64).replace(/:/g, '.'), id: p.ticketId };
    return {
      externalRef,
      requesterEmail: p.customer.email,
      complaint: complaintOf(d, { customerId: `${p.system}-${p.customer.id}`.slice(0, 128), name: p.customer.name, email: p.customer.email, phone: p.customer.phone, summary: p.subject, description: p.description, receivedAt: p.openedAt, hints: p.complaint, externalRef }),
      history: (p.history ?? []).map((h, i) => historyNote(h.author, h.fromCustomer ?? false, h.body, h.at, `${p.system} history ${i + 1}`)),
      attachments: attachmentsOf(p.attachments),
    };
  },
};

/** Parses the verified body with the provider's schema; 400-ready field errors name each field that does not map. */
export const mapTicket = (provider: HelpdeskProvider, json: unknown, d: MappingDefaults): MappingResult => {
  const parsed = HELPDESK_PAYLOADS[provider].safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ field: ['body', ...i.path.map(String), k].join('.'), message: 'unknown field' }))
          : [{ field: ['body', ...i.path.map(String)].join('.'), message: i.message }],
      ),
    };
  }
  const hints = (parsed.data as { complaint?: Hints }).complaint;
  const refused = classificationError(hints, d.outageRule);
  if (refused) return { ok: false, errors: [refused] };
  const map = mappers[provider] as (p: unknown, d: MappingDefaults) => MappedTicket;
  return { ok: true, ticket: map(parsed.data, d) };
};
