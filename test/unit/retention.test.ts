// Retention: periods per regime with their citations, retainUntil on close and reopen, the redaction (facts kept,
// every personal and free-text field gone, the chain of redacted events plus the retention event still verifying) and
// the retention service over the in-memory port (index, legal hold, idempotent re-runs, races, failures).
import { wholeTokens } from '../support/tokens';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appendEvents, EMPTY_HEAD, verifyChain, type AuditDraft } from '#domain/audit-chain';
import { AssignmentRules } from '#domain/assignment';
import { ComplaintService } from '#domain/complaint-service';
import { ConflictError } from '#domain/errors';
import { acknowledgeEscalation, raiseEscalation } from '#domain/escalation';
import { registerEvidence } from '#domain/evidence';
import * as life from '#domain/lifecycle';
import { getRegime, REGIME_IDS } from '#domain/regimes';
import { decideApproval, proposeResolution, sendFinalResponse } from '#domain/resolution';
import {
  eventNeedsRedaction,
  FACT_ONLY_ACTIONS,
  FREE_TEXT_ACTIONS,
  planRedaction,
  REDACTED,
  redactCase,
  retainUntilOf,
  retentionOverrideProblems,
  retentionPeriod,
  RETENTION_ACTOR,
  RETENTION_EVENT,
  RETENTION_PERIODS,
  type CaseRecords,
} from '#domain/retention';
import { RetentionService } from '#domain/retention-service';
import { ConfigError, loadConfig } from '#http/config';
import type { Case } from '#schemas/complaint';
import type { AuditEvent } from '#schemas/children';
import { at, CASE_ID, DAY, intakeBody, NOW, openedCase, principal } from './fixtures';
import { FakeRepo } from './fake-repo';

const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };
const ulid = (prefix: string, n: number) => `${prefix}${String(n).padStart(26 - prefix.length, '0')}`;

describe('retention periods', () => {
  it('cover every regime, each with a citation, and never fall below the rule they cite', () => {
    expect(Object.keys(RETENTION_PERIODS).sort()).toEqual([...REGIME_IDS].sort());
    for (const p of Object.values(RETENTION_PERIODS)) {
      expect(p.citation).toMatch(/\S/);
      expect(p.note).toMatch(/\S/);
      expect(Number.isInteger(p.years) && p.years >= 1).toBe(true);
      if (p.basis === 'rule') expect(p.years).toBeGreaterThanOrEqual(p.minYears!);
      // An organisation default says so, and says whom to ask.
      if (p.basis === 'policy') expect(p.citation).toMatch(/^Organisation default.*compliance team/);
    }
  });

  it('uses DISP 1.9.1R for the UK (five years: MiFID/UCITS unknown; three for payment services) and six years for the CPC', () => {
    expect(retentionPeriod('UK_FCA_DISP')).toMatchObject({ years: 5, minYears: 3, basis: 'rule', citation: expect.stringContaining('DISP 1.9.1R') });
    expect(retentionPeriod('UK_FCA_PSD')).toMatchObject({ years: 3, minYears: 3, basis: 'rule', citation: expect.stringContaining('DISP 1.9.1R(2)') });
    expect(retentionPeriod('IE_CBI_CPC')).toMatchObject({ years: 6, basis: 'rule' });
    for (const id of ['US_CFPB', 'AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP', 'INTERNAL_STANDARD']) expect(retentionPeriod(id)).toMatchObject({ years: 7, basis: 'policy' });
  });

  it('takes the organisation’s override, and gives a retired regime the organisation default', () => {
    expect(retentionPeriod('INTERNAL_STANDARD', { INTERNAL_STANDARD: 2 }).years).toBe(2);
    expect(retentionPeriod('OLD_REGIME')).toMatchObject({ years: 7, basis: 'policy' });
  });

  it('refuses overrides for unknown regimes, below the rule’s minimum, or not whole years', () => {
    expect(retentionOverrideProblems({ INTERNAL_STANDARD: 1, UK_FCA_DISP: 3 })).toEqual([]);
    expect(retentionOverrideProblems({ NOPE: 3 })[0]).toMatch(/NOPE is not a regime/);
    expect(retentionOverrideProblems({ UK_FCA_PSD: 2 })[0]).toMatch(/at least 3 years.*DISP 1\.9\.1R/);
    expect(retentionOverrideProblems({ IE_CBI_CPC: 5 })[0]).toMatch(/at least 6 years/);
    expect(retentionOverrideProblems({ INTERNAL_STANDARD: 1.5 })[0]).toMatch(/whole number/);
  });

  it('is configured by RETENTION_YEARS (JSON, zod-validated) and RETENTION_BATCH', () => {
    const cfg = loadConfig({ RETENTION_YEARS: '{"INTERNAL_STANDARD":2,"UK_FCA_DISP":3}', RETENTION_BATCH: '25' });
    expect(cfg.regimes.retentionYears).toEqual({ INTERNAL_STANDARD: 2, UK_FCA_DISP: 3 });
    expect(cfg.RETENTION_BATCH).toBe(25);
    expect(loadConfig({}).RETENTION_BATCH).toBe(100);
    expect(loadConfig({}).regimes.retentionYears).toBeUndefined();
    expect(() => loadConfig({ RETENTION_YEARS: '{"UK_FCA_PSD":2}' })).toThrow(ConfigError);
    expect(() => loadConfig({ RETENTION_YEARS: '{"NOPE":3}' })).toThrow(/NOPE is not a regime/);
    expect(() => loadConfig({ RETENTION_YEARS: 'three' })).toThrow(/RETENTION_YEARS must be JSON/);
  });

  it('ends whole calendar years after closure, in UTC (a leap day ends on 28 February)', () => {
    expect(retainUntilOf('UK_FCA_PSD', '2026-03-03T10:15:00.000Z')).toBe('2029-03-03T10:15:00.000Z');
    expect(retainUntilOf('UK_FCA_DISP', '2028-02-29T23:30:00.000Z')).toBe('2033-02-28T23:30:00.000Z');
    expect(retainUntilOf('INTERNAL_STANDARD', '2026-03-03T10:15:00.000Z', { INTERNAL_STANDARD: 2 })).toBe('2028-03-03T10:15:00.000Z');
  });
});

describe('retainUntil on close and reopen', () => {
  const CLOSED_AT = at(NOW, DAY);

  it('close sets retainUntil = closure + the regime’s period, and records it in the audit event', () => {
    const { case: c, drafts } = life.close(openedCase({ rootCause: ROOT_CAUSE }), { followUpAction: 'x' }, 'alice', CLOSED_AT);
    expect(c.retainUntil).toBe(retainUntilOf('UK_FCA_DISP', CLOSED_AT));
    expect(c.retainUntil).toBe('2031-03-03T09:00:00.000Z');
    expect(drafts[0]?.data).toMatchObject({ retainUntil: c.retainUntil });
  });

  it('close takes the organisation’s override', () => {
    const { case: c } = life.close(openedCase({ rootCause: ROOT_CAUSE }), { followUpAction: 'x' }, 'alice', CLOSED_AT, { retentionYears: { UK_FCA_DISP: 3 } });
    expect(c.retainUntil).toBe('2029-03-03T09:00:00.000Z');
  });

  it('reopen removes retainUntil; the next close starts the period again', () => {
    const closed = life.close(openedCase({ rootCause: ROOT_CAUSE }), { followUpAction: 'x' }, 'alice', CLOSED_AT).case;
    const reopened = life.reopen(closed, 'disputed', getRegime('UK_FCA_DISP'), 'sam', at(CLOSED_AT, 10 * DAY)).case;
    expect(reopened.retainUntil).toBeUndefined();
    expect('retainUntil' in reopened).toBe(false);
    const again = life.close(reopened, { followUpAction: 'y' }, 'alice', at(CLOSED_AT, 20 * DAY)).case;
    expect(again.retainUntil).toBe(retainUntilOf('UK_FCA_DISP', at(CLOSED_AT, 20 * DAY)));
  });

  it('a redacted case cannot be reopened (its personal data is gone)', () => {
    const closed = life.close(openedCase({ rootCause: ROOT_CAUSE }), { followUpAction: 'x' }, 'alice', CLOSED_AT).case;
    const redacted: Case = { ...closed, redaction: { at: NOW, by: RETENTION_ACTOR, reason: 'end of retention', events: 1, items: 0 } };
    expect(() => life.reopen(redacted, 'disputed', getRegime('UK_FCA_DISP'), 'sam', CLOSED_AT)).toThrow(ConflictError);
  });
});

/** A case that went through every step that writes free text, with every such text containing SECRET. */
const fullCase = () => {
  let c: Case | undefined;
  const drafts: AuditDraft[] = [];
  const step = <T>(ch: { case: Case; drafts: AuditDraft[]; result: T }): T => {
    c = ch.case;
    drafts.push(...ch.drafts);
    return ch.result;
  };
  const t = (days: number) => at(NOW, days * DAY);
  const cur = () => c!;
  step(
    life.openCase(
      intakeBody({
        receivedAt: NOW,
        regime: 'UK_FCA_PSD',
        summary: 'SECRET summary',
        description: 'SECRET description',
        customer: { id: 'cust-secret-1', name: 'Ada Secret Lovelace', email: 'ada.secret@example.com', phone: '+44 20 7946 0000', vulnerable: true },
        allegedLoss: { amount: '180.00', currency: 'GBP' },
        externalRef: { system: 'zendesk', id: 'Z-77' },
      }),
      { id: CASE_ID, reference: 'CMP-2026-000001', ownerId: 'alice', assignmentRule: 'explicit', regime: getRegime('UK_FCA_PSD'), actor: 'web-form', now: NOW },
    ),
  );
  step(life.reassign(cur(), 'bob', 'SECRET handoff reason', 'sam', t(0.1)));
  step(life.acknowledge(cur(), { text: 'SECRET acknowledgement text' }, 'bob', t(0.2)));
  step(life.reclassify(cur(), { severity: 'high', reason: 'SECRET reclassification reason' }, 'sam'));
  const task = step(life.addTask(cur(), { title: 'SECRET task title', team: 'ops' }, { taskId: ulid('01JTASK', 1) }, 'bob', t(0.3)));
  const blocked = step(life.updateTask(cur(), task, { status: 'blocked', blockedReason: 'SECRET blocked reason' }, 'bob', t(0.4)));
  const done = step(life.updateTask(cur(), blocked, { status: 'done', findings: 'SECRET findings' }, 'bob', t(0.5)));
  const note = step(life.addNote(cur(), { kind: 'call_note', body: 'SECRET call note' }, { noteId: ulid('01JNOTE', 1) }, 'bob', t(0.5)));
  const policy = { allowedContentTypes: ['application/pdf'], maxBytes: 100, uploadTtlMs: 900_000 };
  const evidence = step(registerEvidence(cur(), { fileName: 'SECRET-letter.pdf', contentType: 'application/pdf', sizeBytes: 10, sha256: 'a'.repeat(64) }, policy, { evidenceId: ulid('01JEVID', 1) }, 'bob', t(0.5)));
  const raised = step(raiseEscalation(cur(), { id: ulid('01JESC', 1), trigger: { kind: 'manual' }, reason: 'SECRET escalation reason', actor: 'bob', now: t(0.6) }));
  const acked = step(acknowledgeEscalation(cur(), raised, principal('sam', 'supervisor'), { note: 'SECRET acknowledgement note' }, t(0.7)));
  const stages = [{ stage: 1, role: 'supervisor' as const, reasons: [{ rule: 'compensation_threshold' as const, detail: 'compensation 250.00 GBP above the 100.00 GBP threshold' }] }];
  const proposed = step(
    proposeResolution(
      cur(),
      { decision: 'upheld', remedy: { compensation: { amount: '250.00', currency: 'GBP' }, description: 'SECRET remedy' }, rootCause: { category: 'capacity', description: 'SECRET root cause' }, finalResponse: 'SECRET final response' },
      stages,
      { resolutionId: ulid('01JRES', 1), approvalIds: [ulid('01JAPR', 1)] },
      'bob',
      t(1),
      DAY,
    ),
  );
  const decided = step(decideApproval(cur(), proposed.resolution, proposed.approvals, ulid('01JAPR', 1), { decision: 'approve', comment: 'SECRET approval comment' }, { sub: 'sam', roles: ['supervisor'] }, t(1.5), DAY));
  step(sendFinalResponse(cur(), decided.resolution, {}, 'bob', t(2)));
  step(life.close(cur(), { followUpAction: 'SECRET follow-up action' }, 'bob', t(3)));
  const { events, head } = appendEvents(EMPTY_HEAD, drafts, t(3));
  const records: CaseRecords = { tasks: [done], notes: [note], evidence: [evidence], resolutions: [decided.resolution], approvals: [decided.approval], escalations: [acked], events };
  return { c: cur(), records, head };
};

// The phone number with its space: four digits alone also turn up in random hex (hashes, salts).
// Whole tokens, any case: a ULID's random part may spell SECRET by chance, a delimited word in the texts never is one.
const SECRETS = wholeTokens(['secret', '7946 0000'], 'i');
const STAMP = { at: '2030-01-01T00:00:00.000Z', by: RETENTION_ACTOR, reason: 'end of retention' };

/** The records after a plan was written: children and events replaced by id / seq. */
const applied = (r: CaseRecords, plan: ReturnType<typeof planRedaction>): CaseRecords => {
  const byId = new Map(plan.children.map((ch) => [ch.kind === 'export' ? ch.export.exportId : (ch as unknown as Record<string, { id: string }>)[ch.kind]!.id, ch]));
  const pick = <T extends { id: string }>(kind: string, xs: T[]): T[] => xs.map((x) => ((byId.get(x.id) as Record<string, unknown> | undefined)?.[kind] as T | undefined) ?? x);
  const bySeq = new Map(plan.events.map((e) => [e.seq, e]));
  return {
    tasks: pick('task', r.tasks),
    notes: pick('note', r.notes),
    evidence: pick('evidence', r.evidence),
    resolutions: pick('resolution', r.resolutions),
    approvals: pick('approval', r.approvals),
    escalations: pick('escalation', r.escalations),
    events: r.events.map((e) => bySeq.get(e.seq) ?? e),
  };
};

describe('redaction', () => {
  it('the test case really carries personal data everywhere the redaction must look', () => {
    const { c, records } = fullCase();
    expect(JSON.stringify(c)).toMatch(SECRETS);
    for (const list of Object.values(records)) expect(JSON.stringify(list)).toMatch(SECRETS);
  });

  it('removes every personal and free-text field from the case, its children and its audit events', () => {
    const { c, records } = fullCase();
    const plan = planRedaction(c, records, STAMP, retentionPeriod(c.regime));
    const after = applied(records, plan);
    expect(JSON.stringify(plan.change.case)).not.toMatch(SECRETS);
    for (const [name, list] of Object.entries(after)) expect([name, JSON.stringify(list)]).not.toEqual([name, expect.stringMatching(SECRETS)]);
    expect(JSON.stringify(plan.change.drafts)).not.toMatch(SECRETS);

    const r = plan.change.case;
    expect(r.customer).toEqual({ id: REDACTED, name: REDACTED, vulnerable: true });
    expect(r).toMatchObject({ summary: REDACTED, description: REDACTED, followUpAction: REDACTED, rootCause: { category: 'capacity', description: REDACTED } });
    expect(r.handoffs[0]).toMatchObject({ from: 'alice', to: 'bob', by: 'sam', reason: REDACTED });
    expect(r.escalations[0]).toMatchObject({ reason: REDACTED, status: 'acknowledged' });
    const [task] = after.tasks;
    expect(task).toMatchObject({ title: REDACTED, findings: REDACTED, team: 'ops', status: 'done' });
    expect(after.notes[0]).toMatchObject({ body: REDACTED, kind: 'call_note', authorId: 'bob' });
    expect(after.evidence[0]).toMatchObject({ fileName: REDACTED, sha256: 'a'.repeat(64), sizeBytes: 10, contentType: 'application/pdf' });
    expect(after.resolutions[0]).toMatchObject({ decision: 'upheld', finalResponse: REDACTED, remedy: { compensation: { amount: '250.00', currency: 'GBP' }, description: REDACTED }, rootCause: { category: 'capacity', description: REDACTED } });
    expect(after.approvals[0]).toMatchObject({ comment: REDACTED, status: 'approved', decidedBy: 'sam', reasons: [{ detail: 'compensation 250.00 GBP above the 100.00 GBP threshold' }] });
    expect(after.escalations[0]).toMatchObject({ reason: REDACTED, acknowledgementNote: REDACTED, acknowledgedBy: 'sam' });
  });

  it('keeps the facts: ids, reference, regime, classification, dates, deadlines, checkpoints, outcome, amounts, flags and counts', () => {
    const { c, records } = fullCase();
    const r = planRedaction(c, records, STAMP, retentionPeriod(c.regime)).change.case;
    const facts = (x: Case) => ({
      id: x.id,
      reference: x.reference,
      status: x.status,
      regime: x.regime,
      category: x.category,
      severity: x.severity,
      product: x.product,
      channel: x.channel,
      ownerId: x.ownerId,
      receivedAt: x.receivedAt,
      acknowledgedAt: x.acknowledgedAt,
      finalResponseDueAt: x.finalResponseDueAt,
      checkpoints: x.checkpoints,
      cycles: x.cycles,
      closedAt: x.closedAt,
      retainUntil: x.retainUntil,
      allegedLoss: x.allegedLoss,
      externalRef: x.externalRef,
      vulnerable: x.vulnerable,
      legalHold: x.legalHold,
      handoffCount: x.handoffCount,
      reopenCount: x.reopenCount,
      openTaskCount: x.openTaskCount,
      evidenceCounts: x.evidenceCounts,
      resolution: x.resolution,
      version: x.version,
    });
    expect(facts(r)).toEqual(facts(c));
    expect(r.cycles[0]).toMatchObject({ decision: 'upheld', compensation: { amount: '250.00', currency: 'GBP' }, respondedAt: expect.any(String), closedAt: c.closedAt });
    expect(r.redaction).toEqual({ ...STAMP, events: expect.any(Number), items: 6 });
  });

  it('redacts only the events whose data holds personal data or free text, and keeps the chain valid with the retention event on top', () => {
    const { c, records, head } = fullCase();
    const plan = planRedaction(c, records, STAMP, retentionPeriod(c.regime));
    const after = applied(records, plan).events;
    const redactedActions = after.filter((e) => e.redaction).map((e) => e.action);
    expect(redactedActions).toEqual(
      expect.arrayContaining(['owner.changed', 'acknowledgement.sent', 'complaint.reclassified', 'task.created', 'task.updated', 'note.added', 'evidence.registered', 'escalation.raised', 'escalation.acknowledged', 'resolution.proposed', 'approval.approved', 'final_response.sent', 'complaint.closed']),
    );
    // Facts-only events keep their data.
    const kept = after.filter((e) => !e.redaction);
    expect(kept.map((e) => e.action)).toEqual(expect.arrayContaining(['complaint.received', 'owner.assigned', 'resolution.approved']));
    for (const e of kept) expect(e).toEqual(records.events.find((x) => x.seq === e.seq));
    for (const e of after.filter((x) => x.redaction)) {
      expect(e).toMatchObject({ data: {}, dataDigest: expect.stringMatching(/^[0-9a-f]{64}$/), redaction: { at: STAMP.at, by: STAMP.by, reason: STAMP.reason } });
      expect(e.salt).toBeUndefined();
      const original = records.events.find((x) => x.seq === e.seq)!;
      expect([e.hash, e.prevHash]).toEqual([original.hash, original.prevHash]);
    }
    expect(plan.counts).toEqual({ events: redactedActions.length, keptEvents: kept.length, items: 6 });

    // The retention event goes through the normal append: the chain (redacted events included) verifies to the new head.
    const retention = appendEvents(head, plan.change.drafts, STAMP.at);
    const chain = [...after, ...retention.events];
    expect(verifyChain(chain, retention.head)).toMatchObject({ valid: true, length: records.events.length + 1 });
    expect(verifyChain(records.events, head).valid).toBe(true);
    expect(retention.events[0]).toMatchObject({
      action: RETENTION_EVENT,
      actor: RETENTION_ACTOR,
      data: {
        regime: 'UK_FCA_PSD',
        retainUntil: c.retainUntil,
        years: 3,
        rule: 'FCA Handbook DISP 1.9.1R(2)',
        redactedEvents: plan.counts.events,
        redactedSeqs: after.filter((e) => e.redaction).map((e) => e.seq),
        keptEvents: plan.counts.keptEvents,
        redactedItems: 6,
      },
    });
    // A tampered redacted event is still caught.
    const tampered = chain.map((e) => (e.action === 'note.added' ? { ...e, dataDigest: 'f'.repeat(64) } : e));
    expect(verifyChain(tampered, retention.head).valid).toBe(false);
  });

  it('is idempotent: planned again on the already rewritten records it writes nothing more and counts the same', () => {
    const { c, records } = fullCase();
    const plan = planRedaction(c, records, STAMP, retentionPeriod(c.regime));
    const again = planRedaction(c, applied(records, plan), STAMP, retentionPeriod(c.regime));
    expect(again.children).toEqual([]);
    expect(again.events).toEqual([]);
    expect(again.counts).toEqual(plan.counts);
    expect(again.change.case).toEqual(plan.change.case);
  });

  it('redacts waiver justifications and the clock’s pause and extension reasons; blank handoff reasons stay blank', () => {
    const base = openedCase();
    const c: Case = {
      ...base,
      handoffs: [{ from: 'a', to: 'b', by: 'sam', at: NOW, reason: '  ' }],
      waivers: [{ checkpoint: 75, cycle: 1, justification: 'SECRET waiver justification', waivedBy: 'sam', waivedAt: NOW, escalationId: null }],
      clock: { ...base.clock!, pausedAt: NOW, pauseReason: 'SECRET pause', extensionReason: 'SECRET extension' },
    };
    const r = redactCase(c);
    expect(JSON.stringify(r)).not.toMatch(SECRETS);
    expect(r.handoffs[0]?.reason).toBe('  ');
    expect(r.waivers?.[0]).toMatchObject({ justification: REDACTED, checkpoint: 75, waivedBy: 'sam' });
    expect(r.clock).toMatchObject({ pausedAt: NOW, pauseReason: REDACTED, extensionReason: REDACTED });
    const { email: _e, ...noEmail } = c.customer;
    expect(redactCase({ ...c, customer: noEmail }).customer).toEqual({ id: REDACTED, name: REDACTED });
  });

  it('decides per action: facts-only never, free-text actions only with text, unknown actions always, redacted events never again', () => {
    const ev = (action: string, data: Record<string, unknown>): AuditEvent => ({ seq: 1, actor: 'x', action, at: NOW, data, salt: '00', prevHash: '0', hash: '1' });
    expect(eventNeedsRedaction(ev('evidence.rejected', { reason: 'checksum_mismatch', detail: 'registered SHA-256 …' }))).toBe(false);
    expect(eventNeedsRedaction(ev('approval.approved', { comment: null, approvalId: 'A' }))).toBe(false);
    expect(eventNeedsRedaction(ev('approval.approved', { comment: 'fine' }))).toBe(true);
    expect(eventNeedsRedaction(ev('task.updated', { changes: { status: { from: 'open', to: 'done' } } }))).toBe(false);
    expect(eventNeedsRedaction(ev('task.updated', { changes: { findings: 'x' } }))).toBe(true);
    expect(eventNeedsRedaction(ev('something.new', { count: 1 }))).toBe(true);
    expect(eventNeedsRedaction({ ...ev('note.added', {}), redaction: { at: NOW, by: 'x', reason: 'y' } })).toBe(false);
  });

  it('knows every audit action the domain writes (so a new one is classified on purpose), in exactly one list', () => {
    const dir = resolve(__dirname, '..', '..', 'shared', 'domain');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const actions = new Set<string>();
    for (const f of files) {
      const src = readFileSync(join(dir, f), 'utf8');
      for (const m of src.matchAll(/action: (?:[^,'}]*\? )?'([a-z_]+\.[a-z_]+)'(?: : '([a-z_]+\.[a-z_]+)')?/g)) {
        actions.add(m[1]!);
        if (m[2]) actions.add(m[2]);
      }
    }
    expect(actions.size).toBeGreaterThan(40);
    expect([...actions].filter((a) => !FACT_ONLY_ACTIONS.has(a) && !FREE_TEXT_ACTIONS.has(a))).toEqual([]);
    expect([...FACT_ONLY_ACTIONS].filter((a) => FREE_TEXT_ACTIONS.has(a))).toEqual([]);
  });

  it('refuses an event from before salted digests (its data cannot go without breaking the chain)', () => {
    const { c, records } = fullCase();
    const events = records.events.map((e) => (e.action === 'note.added' ? { ...e, salt: undefined } : e));
    expect(() => planRedaction(c, { ...records, events }, STAMP, retentionPeriod(c.regime))).toThrow(/predates salted data digests/);
  });
});

describe('RetentionService (in-memory port)', () => {
  const rules = AssignmentRules.parse({ teams: { complaints: ['h1'] }, defaultTeam: 'complaints', rules: [] });
  const setup = (retentionYears?: Record<string, number>) => {
    const repo = new FakeRepo();
    let now = NOW;
    let n = 0;
    const clock = { now: () => now };
    const ids = { next: () => `01J${String(++n).padStart(23, '0')}` };
    const complaints = new ComplaintService({ repo, clock, ids, assignment: rules, ...(retentionYears ? { regimes: { retentionYears } } : {}) });
    const retention = new RetentionService({ repo, clock, batch: 10, ...(retentionYears ? { retentionYears } : {}) });
    const alice = principal('alice', 'handler');
    const closedCase = async (over: Parameters<typeof intakeBody>[0] = {}) => {
      const c = await complaints.open(principal('web-form', 'intake'), intakeBody({ ownerId: 'alice', regime: 'UK_FCA_PSD', ...over }));
      await complaints.addNote(alice, c.id, { kind: 'call_note', body: 'Customer says hello' });
      return (await complaints.close(alice, c.id, { followUpAction: 'Retrain', rootCause: ROOT_CAUSE })).case;
    };
    return { repo, complaints, retention, closedCase, advance: (ms: number) => (now = at(now, ms)), now: () => now };
  };
  const THREE_YEARS = 3 * 366 * DAY;

  it('redacts a closed case past retention, keeps it verifiable, and the customer index no longer finds the person', async () => {
    const { repo, retention, closedCase, advance } = setup();
    const c = await closedCase();
    expect(c.retainUntil).toBe(retainUntilOf('UK_FCA_PSD', c.closedAt!));
    expect((await repo.retentionDue(at(c.retainUntil!, 1), 10)).due).toEqual([c.id]);
    advance(THREE_YEARS);
    expect(await retention.runOnce()).toEqual({ examined: 1, redacted: 1, skippedLegalHold: 0, failed: 0, failures: [], stoppedEarly: false });
    const rec = (await repo.get(c.id))!;
    expect(rec.case.redaction).toMatchObject({ by: RETENTION_ACTOR, items: 1 });
    expect(rec.case.customer).toEqual({ id: REDACTED, name: REDACTED });
    expect((await repo.listNotes(c.id))[0]?.body).toBe(REDACTED);
    const events = await repo.auditEvents(c.id);
    expect(verifyChain(events, rec.head).valid).toBe(true);
    expect(events.at(-1)).toMatchObject({ action: RETENTION_EVENT, seq: rec.head.seq });
    expect((await repo.listByCustomer('cust-1', 10)).items).toEqual([]);
    expect((await repo.retentionDue(at(rec.case.retainUntil!, DAY), 10)).due).toEqual([]);
  });

  it('fan-out: 25 due cases are dispatched in 3 batches of at most 10 and all redacted in one day, with the oldest age published', async () => {
    const { repo, retention, closedCase, advance, now } = setup();
    const cases = [];
    for (let i = 0; i < 25; i++) cases.push(await closedCase({ customer: { id: `cust-fan-${i}`, name: 'Fan Out' } }));
    advance(THREE_YEARS);
    const queued: string[][] = [];
    const dispatch = await retention.dispatch({ send: async (ids) => void queued.push([...ids]) }, now());
    expect(queued.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(new Set(queued.flat())).toEqual(new Set(cases.map((c) => c.id)));
    const oldest = cases.map((c) => c.retainUntil!).sort()[0]!;
    expect(dispatch).toEqual({ dispatched: 25, batches: 3, held: 0, oldestDueAgeSeconds: Math.floor((Date.parse(now()) - Date.parse(oldest)) / 1000) });
    const runs = await Promise.all(queued.map((ids) => retention.redactBatch(ids)));
    expect(runs.reduce((n, r) => n + r.redacted, 0)).toBe(25);
    for (const c of cases) expect((await repo.get(c.id))!.case.redaction).toBeDefined();
    // The next day's dispatch finds nothing due and nothing overdue.
    expect(await retention.dispatch({ send: async () => undefined }, now())).toEqual({ dispatched: 0, batches: 0, held: 0, oldestDueAgeSeconds: 0 });
  });

  it('abuse: a forged or stale queued batch (an open case, a case not yet due, one on legal hold, a guessed id, __proto__) redacts nothing', async () => {
    const { repo, complaints, retention, closedCase } = setup();
    const open = await complaints.open(principal('web-form', 'intake'), intakeBody({ ownerId: 'alice' }));
    const young = await closedCase();
    const held = await closedCase({ customer: { id: 'cust-held', name: 'On Hold' } });
    repo.cases.get(held.id)!.case.legalHold = true;
    // The worker re-checks each case against the clock and its hold: a batch on the bus is a hint, never an order.
    const run = await retention.redactBatch([open.id, young.id, held.id, '01JZZZZZZZZZZZZZZZZZZZZZZZ', '__proto__']);
    expect(run.redacted).toBe(0);
    for (const c of [open, young, held]) expect((await repo.get(c.id))!.case.redaction).toBeUndefined();
  });

  it('skips a case on legal hold (counted), redacts it once released; leaves open and not-yet-due cases alone', async () => {
    const { repo, complaints, retention, closedCase, advance } = setup();
    const held = await closedCase();
    repo.cases.get(held.id)!.case.legalHold = true;
    const open = await complaints.open(principal('web-form', 'intake'), intakeBody({ ownerId: 'alice' }));
    advance(2 * 366 * DAY);
    const young = await closedCase();
    advance(366 * DAY + DAY);
    expect(await retention.runOnce()).toMatchObject({ examined: 1, redacted: 0, skippedLegalHold: 1, failed: 0 });
    expect((await repo.get(held.id))!.case.redaction).toBeUndefined();
    repo.cases.get(held.id)!.case.legalHold = false;
    expect(await retention.runOnce()).toMatchObject({ examined: 1, redacted: 1, skippedLegalHold: 0 });
    expect((await repo.get(open.id))!.case.redaction).toBeUndefined();
    expect((await repo.get(young.id))!.case.redaction).toBeUndefined();
  });

  it('a second run changes nothing', async () => {
    const { repo, retention, closedCase, advance } = setup();
    const c = await closedCase();
    advance(THREE_YEARS);
    await retention.runOnce();
    const before = structuredClone({ rec: await repo.get(c.id), events: await repo.auditEvents(c.id) });
    const commits = repo.commitCalls;
    expect(await retention.runOnce()).toMatchObject({ examined: 0, redacted: 0 });
    expect(await retention.redact(c.id)).toBe('not_due');
    expect({ rec: await repo.get(c.id), events: await repo.auditEvents(c.id) }).toEqual(before);
    expect(repo.commitCalls).toBe(commits);
  });

  it('re-plans when another writer wins the race, and counts a case it cannot redact without stopping the run', async () => {
    const { repo, retention, closedCase, advance } = setup();
    const racing = await closedCase();
    const broken = await closedCase();
    // An event from before salted digests: its data cannot be removed without breaking the chain.
    const trail = repo.audit.get(broken.id)!;
    const i = trail.findIndex((e) => e.action === 'note.added');
    delete trail[i]!.salt;
    advance(THREE_YEARS);
    repo.concurrentWriters = 1;
    const run = await retention.runOnce();
    expect(run).toMatchObject({ redacted: 1, failed: 1, failures: [{ caseId: broken.id, error: expect.stringMatching(/predates salted data digests/) }] });
    const rec = (await repo.get(racing.id))!;
    expect(rec.case.redaction).toBeDefined();
    expect(verifyChain(await repo.auditEvents(racing.id), rec.head).valid).toBe(true);
    // The failed case stays due: a later run (after a fix) tries again.
    expect((await repo.retentionDue(at(NOW, 4 * 366 * DAY), 10)).due).toEqual([broken.id]);
  });

  it('stops taking cases when told to (the function is about to time out)', async () => {
    const { retention, closedCase, advance } = setup();
    await closedCase();
    advance(THREE_YEARS);
    expect(await retention.runOnce(undefined, { shouldStop: () => true })).toMatchObject({ examined: 0, redacted: 0, stoppedEarly: true });
  });

  it('closes with the organisation’s period and cites it in the retention event', async () => {
    const { repo, retention, closedCase, advance } = setup({ INTERNAL_STANDARD: 1 });
    const c = await closedCase({ regime: 'INTERNAL_STANDARD' });
    expect(c.retainUntil).toBe(retainUntilOf('INTERNAL_STANDARD', c.closedAt!, { INTERNAL_STANDARD: 1 }));
    advance(367 * DAY);
    expect((await retention.runOnce()).redacted).toBe(1);
    expect((await repo.auditEvents(c.id)).at(-1)?.data).toMatchObject({ regime: 'INTERNAL_STANDARD', years: 1, basis: 'policy' });
  });
});
