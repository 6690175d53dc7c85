// Channel intake use cases: a helpdesk ticket or an inbound email becomes a complaint through the same path as
// POST /v1/complaints (ComplaintService.open: owner, clock, audit chain), de-duplicated on its external reference,
// with its history as evidence-log notes and its attachments stored in the evidence vault.
import { createHash } from 'node:crypto';
import type { Case, CreateComplaintBody, UnverifiedSender } from '#schemas/complaint';
import type { CreateNoteBody } from '#schemas/children';
import type { Evidence } from '#schemas/evidence';
import type { EmailIntakeResult, HelpdeskIntakeResult, HelpdeskProvider, InboundRejection, InboundReplayResult } from '#schemas/channels';
import type { CaseRepository } from '#ports/case-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { EvidenceWriter } from '#ports/evidence-vault';
import type { InboundLog } from '#ports/inbound-log';
import { MalformedMessageError, type MailParser, type ParsedEmail } from '#ports/mail-parser';
import { RawMailMissingError, type RawMailStore } from '#ports/raw-mail';
import { assessSender, type MailAuthSettings } from './mail-auth';
import { systemMutate } from './case-mutation';
import type { ComplaintService } from './complaint-service';
import { ConflictError, GoneError, InvalidInputError, NotFoundError } from './errors';
import type { EvidencePolicy } from './evidence';
import type { EvidenceService } from './evidence-service';
import { EMAIL_REF_SYSTEM, type MappedTicket, type TicketAttachmentIn } from './helpdesk';
import * as life from './lifecycle';
import type { Principal } from './principal';

export interface ChannelIntakeDeps {
  complaints: ComplaintService;
  evidence: EvidenceService;
  writer: EvidenceWriter;
  repo: CaseRepository;
  clock: Clock;
  ids: IdGenerator;
  inbound: InboundLog;
  policy: EvidencePolicy;
  /** The regime an email complaint runs under (EMAIL_DEFAULT_REGIME); a ticket's comes from its mapping (HELPDESK_DEFAULT_REGIME). */
  emailRegime: string;
  /** Sender authentication (#domain/mail-auth) and what happens to mail that fails it (INBOUND_EMAIL_UNVERIFIED). */
  mailAuth: MailAuthSettings & { unverified: 'open_unverified' | 'reject' };
  /** The stored raw messages, their parser and the size limit (INBOUND_EMAIL_MAX_BYTES): email intake and its replay. */
  email?: { store: RawMailStore; parser: MailParser; maxBytes: number };
}

/** Unverified mail is de-duplicated in a namespace of its own: a forged Message-ID can never pre-empt the genuine one. */
export const UNVERIFIED_EMAIL_REF_SYSTEM = `${EMAIL_REF_SYSTEM}.unverified`;

/** Why a stored message is refused, before it is recorded (the intake records it; a replay answers it). */
export type EmailRefusal = Omit<InboundRejection, 'id' | 'channel' | 'receivedAt' | 'replay'>;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const REFERENCE_IN_SUBJECT = /\bCMP-\d{4}-(?:\d{6}|X\d{9})\b/;

type StoredFile = { evidenceId: string; fileName: string; sha256: string };

/** Why a file cannot be evidence under the policy (checked before the case is written, so the reason is in its log). */
const refusal = (policy: EvidencePolicy, a: { contentType: string; size: number }): string | undefined => {
  if (!policy.allowedContentTypes.includes(a.contentType)) return `${a.contentType} is not an accepted evidence type`;
  if (a.size > policy.maxBytes) return `larger than the evidence limit of ${policy.maxBytes} bytes`;
  return undefined;
};

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** An external id within ExternalRef's 128 characters: long Message-IDs are replaced by their SHA-256. */
const refId = (s: string) => (s.length <= 128 ? s : `sha256:${createHash('sha256').update(s).digest('hex')}`);

export class ChannelIntakeService {
  constructor(private readonly deps: ChannelIntakeDeps) {}

  private systemPrincipal(sub: string): Principal {
    return { sub, roles: ['intake'], scopes: [] };
  }

  /** The customer of the sender's latest case when the address is known; otherwise the channel's own id for them. */
  private async customerId(email: string | undefined, fallback: string): Promise<string> {
    return (email ? await this.deps.repo.findCustomerByEmail(email) : undefined) ?? fallback;
  }

  /**
   * Opens the case, or finds the one this external reference already has (a repeated or concurrent delivery). A
   * closed case is followed by a repeat complaint: a new case, with its own clock from this receipt, linked to the
   * closed one, which keeps its outcome, final response and retention untouched.
   */
  private async openOrFind(p: Principal, body: CreateComplaintBody & { externalRef: { system: string; id: string } }, notes: CreateNoteBody[], unverifiedSender?: UnverifiedSender): Promise<{ outcome: 'created' | 'existing' | 'repeat'; case: Case }> {
    const { repo, complaints } = this.deps;
    const existing = async (id: string): Promise<Case> => {
      const rec = await repo.get(id);
      if (!rec) throw new NotFoundError(`complaint ${id} not found`);
      return life.present(rec.case, this.deps.clock.now());
    };
    for (let attempt = 1; ; attempt++) {
      const knownId = await repo.findIdByExternalRef(body.externalRef.system, body.externalRef.id);
      const known = knownId ? await existing(knownId) : undefined;
      if (known && known.status !== 'closed') return { outcome: 'existing', case: known };
      try {
        const repeatOf = known ? { caseId: known.id, reference: known.reference } : undefined;
        const repeatNote: CreateNoteBody[] = known ? [{ kind: 'policy_reference', body: `Repeat complaint: ${body.externalRef.system} ${body.externalRef.id} was escalated again after ${known.reference} closed${known.closedAt ? ` on ${known.closedAt}` : ''}.` }] : [];
        const c = await complaints.open(p, body, { notes: [...repeatNote, ...notes], signedChannel: true, ...(repeatOf ? { repeatOf } : {}), ...(unverifiedSender ? { unverifiedSender } : {}) });
        return { outcome: known ? 'repeat' : 'created', case: c };
      } catch (err) {
        // Another delivery of the same ticket won the race: its case is the answer (read again; it may be a repeat).
        if (err instanceof ConflictError && 'existingId' in err.details && attempt < 3) continue;
        throw err;
      }
    }
  }

  /** Stores the inline files of a new case as evidence; the ones the policy refuses were noted at creation. */
  private async storeFiles(caseId: string, actor: string, files: { fileName: string; contentType: string; content: Buffer }[]): Promise<StoredFile[]> {
    const stored: StoredFile[] = [];
    for (const f of files) {
      if (refusal(this.deps.policy, { contentType: f.contentType, size: f.content.length })) continue;
      try {
        const ev: Evidence = await this.deps.evidence.storeReceived(this.deps.writer, caseId, { fileName: f.fileName, contentType: f.contentType, bytes: f.content }, actor);
        stored.push({ evidenceId: ev.id, fileName: ev.fileName, sha256: ev.sha256 });
      } catch (err) {
        // A file name the vault refuses (zod) or a policy change between the check and the write: skip the file only.
        if (err instanceof InvalidInputError || (err as Error).name === 'ZodError') continue;
        throw err;
      }
    }
    return stored;
  }

  private attachmentNotes(source: string, list: readonly { fileName: string; contentType: string; url?: string; size?: number }[]): CreateNoteBody[] {
    return list.flatMap((a): CreateNoteBody[] => {
      if (a.url && a.size === undefined) return [{ kind: 'customer_statement', body: clip(`[${source} attachment] ${a.fileName} (${a.contentType}), kept in the source system: ${a.url}`, 50000) }];
      const why = a.size !== undefined ? refusal(this.deps.policy, { contentType: a.contentType, size: a.size }) : undefined;
      return why ? [{ kind: 'customer_statement', body: clip(`[${source} attachment] ${a.fileName} (${a.contentType}, ${a.size} bytes) was not stored as evidence: ${why}`, 50000) }] : [];
    });
  }

  /** A verified helpdesk delivery: 201 with a new case (or a repeat of a closed one), 200 with the ticket's open case. */
  async escalateTicket(provider: HelpdeskProvider, ticket: MappedTicket): Promise<HelpdeskIntakeResult> {
    const actor = `helpdesk:${provider}`;
    const body = { ...ticket.complaint, customer: { ...ticket.complaint.customer, id: await this.customerId(ticket.requesterEmail, ticket.complaint.customer.id) }, externalRef: ticket.externalRef };
    const inline = ticket.attachments.filter((a): a is TicketAttachmentIn & { content: Buffer } => a.content !== undefined);
    const notes = [
      ...ticket.history,
      ...this.attachmentNotes(provider, ticket.attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, ...(a.url ? { url: a.url } : {}), ...(a.content ? { size: a.content.length } : {}) }))),
    ];
    const out = await this.openOrFind(this.systemPrincipal(actor), body, notes);
    // Only the delivery that opened the case stores its files: a repeat delivery never duplicates evidence.
    const evidence = out.outcome === 'existing' ? [] : await this.storeFiles(out.case.id, actor, inline.map((a) => ({ fileName: a.fileName, contentType: a.contentType, content: a.content })));
    const current = evidence.length ? ((await this.deps.repo.get(out.case.id))?.case ?? out.case) : out.case;
    return {
      outcome: out.outcome,
      case: life.present(current, this.deps.clock.now()),
      notesAdded: out.outcome === 'existing' ? 0 : notes.length + (out.outcome === 'repeat' ? 1 : 0),
      evidence,
      linkedAttachments: out.outcome === 'existing' ? 0 : ticket.attachments.filter((a) => !a.content && a.url).length,
    };
  }

  /**
   * A raw message in the inbound store, from size check to case: refused (too large, malformed MIME, no sender) or
   * taken in (new case, reply to one of the sender's cases, already in). Nothing is recorded here; any other failure
   * is thrown for the caller, which records it as a rejection (intake) or answers it (replay).
   */
  async processStoredEmail(objectKey: string, knownSize?: number): Promise<{ kind: 'refused'; refusal: EmailRefusal } | { kind: 'done'; result: EmailIntakeResult }> {
    const email = this.deps.email;
    if (!email) throw new Error('email intake is not configured (no raw mail store)');
    const size = knownSize ?? (await email.store.size(objectKey));
    if (size > email.maxBytes) {
      return { kind: 'refused', refusal: { reason: 'too_large', detail: `the message is ${mib(size)} (${size} bytes); the limit is ${mib(email.maxBytes)} (INBOUND_EMAIL_MAX_BYTES)`, sizeBytes: size, objectKey } };
    }
    const raw = await email.store.read(objectKey, email.maxBytes);
    let mail: ParsedEmail;
    try {
      mail = await email.parser.parse(raw);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      return { kind: 'refused', refusal: { reason: 'malformed', detail: err.message, sizeBytes: raw.length, objectKey } };
    }
    if (!mail.from) {
      return { kind: 'refused', refusal: { reason: 'no_sender', detail: 'the From header has no address', sizeBytes: raw.length, objectKey, ...(mail.subject ? { subject: mail.subject.slice(0, 300) } : {}) } };
    }
    return { kind: 'done', result: await this.receiveEmail({ ...mail, from: mail.from }, { objectKey, bytes: raw }) };
  }

  /**
   * Replays a recorded rejection (admin): the stored raw message goes through the intake again. Idempotent: the
   * intake de-duplicates on the Message-ID (or the stored object), and the first replay is recorded on the rejection,
   * so a second replay answers the same case. A message that is still refused is 409 with the reason.
   */
  async replayRejection(id: string, actor: string): Promise<InboundReplayResult> {
    const rejection = await this.deps.inbound.rejection(id);
    if (!rejection) throw new NotFoundError(`inbound rejection ${id} not found`);
    if (rejection.replay) return { outcome: 'already_replayed', caseId: rejection.replay.caseId, reference: rejection.replay.reference, rejection };
    const processed = await this.processStoredEmail(rejection.objectKey).catch((err: unknown) => {
      // Nothing to replay: answered plainly (410), never a 500; the rejection stays listed as it is.
      if (err instanceof RawMailMissingError) throw new GoneError(`the stored message ${rejection.objectKey} is no longer in the inbound mail store, so it cannot be replayed`);
      throw err;
    });
    if (processed.kind === 'refused') {
      throw new ConflictError(`the message is still refused (${processed.refusal.reason}): ${processed.refusal.detail}`, { reason: processed.refusal.reason });
    }
    const r = processed.result;
    if (r.outcome === 'rejected') throw new ConflictError(`the message is still refused (${r.rejection.reason}): ${r.rejection.detail}`, { reason: r.rejection.reason });
    const marked = await this.deps.inbound.markReplayed(rejection, { caseId: r.caseId, reference: r.reference, outcome: r.outcome, at: this.deps.clock.now(), by: actor });
    const replay = marked.replay ?? { caseId: r.caseId, reference: r.reference };
    return { outcome: 'replayed', caseId: replay.caseId, reference: replay.reference, rejection: marked };
  }

  /** The complaint an email opens: its subject and text, unclassified, under the email regime, de-duplicated on `ref`. */
  private emailComplaint(mail: ParsedEmail, sender: { address: string; name?: string }, customer: { id: string; email?: string }, ref: { system: string; id: string }) {
    return {
      customer: { ...customer, name: clip(sender.name || sender.address.split('@')[0] || sender.address, 200) },
      channel: 'email' as const,
      summary: clip(mail.subject || '(no subject)', 300),
      description: clip(mail.text || mail.subject || '(no text)', 20000),
      product: 'unspecified',
      category: 'other' as const,
      regime: this.deps.emailRegime,
      externalRef: ref,
    };
  }

  /** Records a refused inbound message (and answers it), so nothing that arrived is silently lost. */
  async rejectEmail(r: Omit<InboundRejection, 'id' | 'channel' | 'receivedAt'>): Promise<EmailIntakeResult> {
    const rejection: InboundRejection = { id: this.deps.ids.next(), channel: 'email', receivedAt: this.deps.clock.now(), ...r };
    await this.deps.inbound.recordRejection(rejection);
    return { outcome: 'rejected', rejection };
  }

  /**
   * A parsed inbound email: a reply naming one of the sender's own cases (CMP-YYYY-NNNNNN in the subject) is added
   * to that case (note + evidence); anything else opens a complaint (channel email), de-duplicated on its Message-ID.
   * Only the sender's own cases are found by reference: a stranger quoting a reference cannot write into a case.
   */
  async receiveEmail(mail: ParsedEmail & { from: { address: string; name?: string } }, raw: { objectKey: string; bytes: Buffer }): Promise<EmailIntakeResult> {
    const sender = mail.from;
    const auth = assessSender(mail.verdictHeaders, sender.address, this.deps.mailAuth);
    const recorded = { sizeBytes: raw.bytes.length, objectKey: raw.objectKey, from: sender.address, ...(mail.subject ? { subject: mail.subject.slice(0, 300) } : {}) };
    if (auth.kind === 'virus') return this.rejectEmail({ reason: 'virus', detail: auth.detail, ...recorded });
    if (auth.kind === 'unverified') {
      if (this.deps.mailAuth.unverified === 'reject') return this.rejectEmail({ reason: 'unverified_sender', detail: `the sender is not authenticated: ${auth.reasons.join('; ')} (INBOUND_EMAIL_UNVERIFIED=reject)`, ...recorded });
      return this.openUnverified(mail, raw, auth.reasons, auth.summary);
    }
    const actor = 'email-intake';
    const customerId = await this.customerId(sender.address, `email-${createHash('sha256').update(sender.address).digest('hex').slice(0, 20)}`);
    const messageRef = refId(mail.messageId ?? `s3:${raw.objectKey}`);
    const files = [{ fileName: 'message.eml', contentType: 'message/rfc822', content: raw.bytes }, ...mail.attachments];
    const refused = this.attachmentNotes('email', files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, size: f.content.length })));
    const skipped = files.flatMap((f) => {
      const reason = refusal(this.deps.policy, { contentType: f.contentType, size: f.content.length });
      return reason ? [{ fileName: f.fileName, reason }] : [];
    });
    const statement: CreateNoteBody = {
      kind: 'customer_statement',
      body: clip(`[email ${messageRef}] From ${sender.name ? `${sender.name} <${sender.address}>` : sender.address}${mail.date ? ` on ${mail.date}` : ''}, subject "${mail.subject}":\n${mail.text || '(no text)'}`, 50000),
    };

    const reference = REFERENCE_IN_SUBJECT.exec(mail.subject)?.[0];
    let unmatched: CreateNoteBody[] = [];
    if (reference) {
      // The case must also carry this very address: the address → customer index is written by any intake client
      // (POST /v1/complaints with a customer id and an email of its choosing), so it alone cannot open a case to mail.
      const target = (await this.deps.repo.listByCustomer(customerId, 100)).items.find((c) => c.reference === reference && c.customer.email?.toLowerCase() === sender.address);
      if (target && target.status !== 'closed') return this.attachToCase(target, statement, refused, files, skipped, actor, messageRef);
      unmatched = [{ kind: 'policy_reference', body: target ? `The subject names ${reference}, which is closed: this email opens a new complaint.` : `The subject names ${reference}, which is not a case of this sender: this email opens a new complaint.` }];
    }
    const body = this.emailComplaint(mail, sender, { id: customerId, email: sender.address }, { system: EMAIL_REF_SYSTEM, id: messageRef });
    const out = await this.openOrFind(this.systemPrincipal(actor), body, [statement, ...unmatched, ...refused]);
    const evidence = out.outcome === 'existing' ? [] : await this.storeFiles(out.case.id, actor, files);
    return { outcome: out.outcome === 'existing' ? 'existing' : 'created', caseId: out.case.id, reference: out.case.reference, notesAdded: out.outcome === 'existing' ? 0 : 1 + unmatched.length + refused.length, evidence, skippedAttachments: skipped };
  }

  /**
   * Mail whose From address is not proven: never added to a case and never filed under the customer that address
   * belongs to (no customer lookup, no contact index entry, no customer email), since a spoofer chooses that address.
   * It opens a complaint of its own, marked unverifiedSender, for a person to check with the customer and link. The
   * stored message is named as unverified, so it can never pass for the customer's own evidence.
   */
  private async openUnverified(mail: ParsedEmail & { from: { address: string; name?: string } }, raw: { objectKey: string; bytes: Buffer }, reasons: string[], summary: string): Promise<EmailIntakeResult> {
    const actor = 'email-intake';
    const sender = mail.from;
    const messageRef = refId(mail.messageId ?? `s3:${raw.objectKey}`);
    const files = [{ fileName: 'message-unverified-sender.eml', contentType: 'message/rfc822', content: raw.bytes }, ...mail.attachments];
    const refused = this.attachmentNotes('email', files.map((f) => ({ fileName: f.fileName, contentType: f.contentType, size: f.content.length })));
    const skipped = files.flatMap((f) => {
      const reason = refusal(this.deps.policy, { contentType: f.contentType, size: f.content.length });
      return reason ? [{ fileName: f.fileName, reason }] : [];
    });
    const reference = REFERENCE_IN_SUBJECT.exec(mail.subject)?.[0];
    const notes: CreateNoteBody[] = [
      {
        kind: 'customer_statement',
        body: clip(`[email ${messageRef}] UNVERIFIED SENDER, claims to be from ${sender.name ? `${sender.name} <${sender.address}>` : sender.address}${mail.date ? ` on ${mail.date}` : ''}, subject "${mail.subject}":\n${mail.text || '(no text)'}`, 50000),
      },
      {
        kind: 'policy_reference',
        body: `The sender is not authenticated (${reasons.join('; ')}; ${summary}). The From address is a claim: confirm it with the customer through a known contact before linking this complaint to any case.${reference ? ` The subject names ${reference}; unverified mail is never added to an existing case.` : ''}`,
      },
      ...refused,
    ];
    // Never the claimed customer's id or address: a customer of its own, keyed by the claimed address.
    const body = this.emailComplaint(mail, sender, { id: `email-unverified-${createHash('sha256').update(sender.address).digest('hex').slice(0, 20)}` }, { system: UNVERIFIED_EMAIL_REF_SYSTEM, id: messageRef });
    const out = await this.openOrFind(this.systemPrincipal(actor), body, notes, { email: sender.address, reasons });
    const evidence = out.outcome === 'existing' ? [] : await this.storeFiles(out.case.id, actor, files);
    return { outcome: out.outcome === 'existing' ? 'existing' : 'created', caseId: out.case.id, reference: out.case.reference, notesAdded: out.outcome === 'existing' ? 0 : notes.length, evidence, skippedAttachments: skipped, unverifiedSender: true };
  }

  /** A reply: the statement and the refusals as notes in one transaction (once per Message-ID), then the files. */
  private async attachToCase(
    target: Case,
    statement: CreateNoteBody,
    refused: CreateNoteBody[],
    files: { fileName: string; contentType: string; content: Buffer }[],
    skipped: { fileName: string; reason: string }[],
    actor: string,
    messageRef: string,
  ): Promise<EmailIntakeResult> {
    const marker = `[email ${messageRef}]`;
    // A redelivered message (at-least-once) finds its statement already in the log and changes nothing.
    if ((await this.deps.repo.listNotes(target.id)).some((n) => n.body.startsWith(marker))) {
      return { outcome: 'existing', caseId: target.id, reference: target.reference, notesAdded: 0, evidence: [], skippedAttachments: skipped };
    }
    const notes = [statement, ...refused];
    const out = await systemMutate(
      this.deps,
      target.id,
      (c, now) => {
        const changes = notes.map((n) => life.addNote(c, n, { noteId: this.deps.ids.next() }, actor, now));
        return { case: c, result: changes.map((ch) => ch.result), drafts: changes.flatMap((ch) => ch.drafts) };
      },
      (added) => added.map((note) => ({ kind: 'note' as const, note })),
    );
    if (out.kind !== 'committed') throw new NotFoundError(`complaint ${target.id} not found`);
    const evidence = await this.storeFiles(target.id, actor, files);
    return { outcome: 'attached', caseId: target.id, reference: target.reference, notesAdded: notes.length, evidence, skippedAttachments: skipped };
  }
}
