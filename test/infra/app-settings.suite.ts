// Deployment settings (`complaints:*` context): validated at synth with the handlers' own config schema.
import { Stack } from 'aws-cdk-lib';
import { DEFAULT_APPROVAL_RULES } from '#domain/approval-rules';
import { listShardsFor, ownerShardsFor, reportShardsFor } from '#adapters/aws/dynamo/table-model';
import { logicalIdOf, resourceOf, resourcesInFamily } from '../support/stacks';
import { sharedApp, testApp } from '../support/infra-app';

const build = testApp;
/** The app with no settings, built once: several tests read its defaults (each synth of the whole app takes seconds). */
const defaults = () => sharedApp();

type Variables = Record<string, string>;
/**
 * The environment of every function of the API stack and its nested route stacks: route, case-timer, evidence-verifier,
 * workflow, report-projection, export, retention, email-intake and webhook functions.
 */
const environments = (api: ReturnType<typeof build>['api']) => {
  const functions = resourcesInFamily(api, 'AWS::Lambda::Function');
  const all = [
    ...api.api.functions.values(),
    ...api.scheduler.functions.values(),
    ...api.evidenceVerifier.functions.values(),
    ...api.workflows.functions.values(),
    ...api.reports.functions.values(),
    ...api.exportBuilder.functions.values(),
    ...api.retention.functions.values(),
    ...api.auditDigest.functions.values(),
    ...api.emailIntake!.functions.values(),
    ...api.webhooks.functions.values(),
    ...api.problemSignals.functions.values(),
  ];
  // Each function is named by its stack's path and its logical id there (logical ids are unique per template only).
  const key = (stackPath: string, id: string) => `${stackPath} ${id}`;
  // Compared as strings: a failing matcher on the constructs themselves would print the whole construct tree.
  const byKey = new Map(functions.map((f) => [key(f.stack.node.path, f.id), f.resource]));
  const keys = all.map((fn) => key(Stack.of(fn.function).node.path, logicalIdOf(fn.function)));
  expect([...keys].sort()).toEqual([...byKey.keys()].sort());
  // The large settings a function reads once from the app's settings secret (SETTINGS_SECRET_ARN) belong to what it runs with.
  const secret = api.node.tryFindChild('ExternalSettings');
  const external = secret ? (JSON.parse(resourceOf(secret).Properties.SecretString as string) as Variables) : {};
  return keys.map((k) => {
    const vars = (byKey.get(k)!.Properties.Environment as { Variables: Variables }).Variables;
    return vars.SETTINGS_SECRET_ARN ? { ...vars, ...external } : vars;
  });
};

describe('complaints:* settings', () => {
  it('reach every function as the environment the handlers read', () => {
    const rules = { teams: { retail: ['u-1', 'u-2'] }, defaultTeam: 'retail', rules: [] };
    const { api } = build({ 'complaints:listShards': 8, 'complaints:internalStandardDays': 10, 'complaints:assignmentRules': rules });
    for (const vars of environments(api)) {
      expect(vars).toMatchObject({ LIST_SHARDS: '8', INTERNAL_STANDARD_DAYS: '10' });
      expect(JSON.parse(vars.ASSIGNMENT_RULES!)).toEqual(rules);
    }
  });

  it('give every function the organisation’s deadline settings (calendars, closures, time zone, blocked-dependency hours)', () => {
    const calendars = { UK_FCA_DISP: { region: 'GB-SCT' } };
    const { api } = build({
      'complaints:dependencyBlockedHours': 36,
      'complaints:orgTimeZone': 'Europe/Dublin',
      'complaints:orgClosures': '2026-12-24, 2026-12-31',
      'complaints:regimeCalendars': JSON.stringify(calendars),
      'complaints:internalStandardUnit': 'business_days',
    });
    for (const vars of environments(api)) {
      expect(vars).toMatchObject({
        DEPENDENCY_BLOCKED_HOURS: '36',
        ORG_TIME_ZONE: 'Europe/Dublin',
        ORG_CLOSURES: '2026-12-24,2026-12-31',
        INTERNAL_STANDARD_UNIT: 'business_days',
      });
      expect(JSON.parse(vars.REGIME_CALENDARS!)).toEqual(calendars);
    }
  });

  it('accept closures as a list and calendars as an object (cdk.json), the same as strings (-c)', () => {
    const { api } = build({ 'complaints:orgClosures': ['2026-12-24', '2026-12-31'], 'complaints:regimeCalendars': { UK_FCA_DISP: { region: 'GB-SCT' } } });
    for (const vars of environments(api)) {
      expect(vars.ORG_CLOSURES).toBe('2026-12-24,2026-12-31');
      expect(JSON.parse(vars.REGIME_CALENDARS!)).toEqual({ UK_FCA_DISP: { region: 'GB-SCT' } });
    }
  });

  it('leave the deadline settings to the handlers’ defaults when not configured', () => {
    for (const vars of environments(defaults().api)) {
      for (const name of ['DEPENDENCY_BLOCKED_HOURS', 'ORG_TIME_ZONE', 'ORG_CLOSURES', 'REGIME_CALENDARS', 'INTERNAL_STANDARD_UNIT']) expect(vars[name]).toBeUndefined();
    }
  });

  it.each([
    ['dependencyBlockedHours', 12, /DEPENDENCY_BLOCKED_HOURS/],
    ['dependencyBlockedHours', 49, /DEPENDENCY_BLOCKED_HOURS/],
    ['orgTimeZone', 'Mars/Olympus_Mons', /ORG_TIME_ZONE/],
    ['orgClosures', '2026-12-24,2026-13-45', /ORG_CLOSURES/],
    ['regimeCalendars', { UK_FCA_DISP: { region: 'XX-NOWHERE' } }, /XX-NOWHERE/],
    ['regimeCalendars', '{"UK_FCA_DISP":', /regimeCalendars/],
    ['internalStandardUnit', 'weeks', /INTERNAL_STANDARD_UNIT/],
  ] as const)('fail synth on an invalid %s (%p)', (setting, value, message) => {
    expect(() => build({ [`complaints:${setting}`]: value })).toThrow(message);
  });

  describe('sizing for the peak (#29 items 8 and 9)', () => {
    /**
     * The functions that allocate case references: every handler that reaches the intake (ComplaintService.open): the
     * create route, the signed helpdesk intake and the email intake (which also replays recorded inbound rejections).
     */
    const allocators = (built: ReturnType<typeof build>) => {
      const routes = ['functions/create-complaint/handler.ts', 'functions/helpdesk-intake/handler.ts'].map((entry) => built.api.api.functions.get(entry));
      return [...routes, built.api.emailIntake?.intake].map((fn) => {
        expect(fn).toBeDefined();
        return (resourceOf(fn!.function).Properties.Environment as { Variables: Variables }).Variables;
      });
    };
    const peak = () => build({ 'complaints:peakIntakesPerSecond': 1000, 'complaints:referenceBlockSize': 20 });
    let atPeak: ReturnType<typeof build> | undefined;

    it('give the functions that allocate references REFERENCE_BLOCK_SIZE: 50 by default, or as configured', () => {
      for (const vars of allocators(defaults())) expect(vars.REFERENCE_BLOCK_SIZE).toBe('50');
      atPeak ??= peak();
      for (const vars of allocators(atPeak)) expect(vars.REFERENCE_BLOCK_SIZE).toBe('20');
      expect(() => build({ 'complaints:referenceBlockSize': 0 })).toThrow(/REFERENCE_BLOCK_SIZE/);
    });

    it('size LIST_SHARDS and OWNER_SHARDS from complaints:peakIntakesPerSecond with the key model’s own functions (45 and 45 at 1,000/s)', () => {
      expect([listShardsFor(1000), ownerShardsFor(1000)]).toEqual([45, 45]);
      atPeak ??= peak();
      for (const vars of environments(atPeak.api)) expect(vars).toMatchObject({ LIST_SHARDS: String(listShardsFor(1000)), OWNER_SHARDS: String(ownerShardsFor(1000, 1)) });
      // Unsized, the handlers' defaults apply (4 list shards, 1 owner shard).
      for (const vars of environments(defaults().api)) {
        expect(vars.LIST_SHARDS).toBeUndefined();
        expect(vars.OWNER_SHARDS).toBeUndefined();
      }
    });

    it('size REPORT_SHARDS from complaints:peakIntakesPerSecond with reportShardsFor (37 at 1,000/s): the projection and every report function get it', () => {
      expect(reportShardsFor(1000)).toBe(37);
      atPeak ??= peak();
      const vars = (fn: { function: Parameters<typeof resourceOf>[0] } | undefined) => (resourceOf(fn!.function).Properties.Environment as { Variables: Variables }).Variables;
      expect(vars(atPeak.api.reports.projection)).toMatchObject({ REPORT_SHARDS: '37' });
      for (const entry of ['functions/report-kpis/handler.ts', 'functions/report-control-score/handler.ts', 'functions/report-control-review/handler.ts', 'functions/report-returns/handler.ts', 'functions/report-triage/handler.ts']) {
        expect([entry, vars(atPeak.api.api.functions.get(entry)).REPORT_SHARDS]).toEqual([entry, '37']);
      }
      for (const v of environments(atPeak.api)) expect(v.REPORT_SHARDS).toBe('37');
      // Unsized, the handlers' default applies (1: the unsharded keys); an explicit count wins over the peak.
      for (const v of environments(defaults().api)) expect(v.REPORT_SHARDS).toBeUndefined();
      const explicit = build({ 'complaints:peakIntakesPerSecond': 1000, 'complaints:reportShards': 50 });
      expect(vars(explicit.api.reports.projection)).toMatchObject({ REPORT_SHARDS: '50' });
      expect(() => build({ 'complaints:reportShards': 0 })).toThrow(/REPORT_SHARDS/);
    });

    it('spread the owner shards over the smallest intake team, and let explicit shard counts win over the peak', () => {
      const { api } = build({ 'complaints:peakIntakesPerSecond': 1000, 'complaints:smallestIntakeTeam': 5, 'complaints:listShards': 60 });
      expect(ownerShardsFor(1000, 5)).toBe(9);
      for (const vars of environments(api)) expect(vars).toMatchObject({ LIST_SHARDS: '60', OWNER_SHARDS: String(ownerShardsFor(1000, 5)) });
    });
  });

  it('fail synth with the setting named when the handlers would reject them at cold start', () => {
    expect(() => build({ 'complaints:assignmentRules': { teams: { retail: ['u-1'] }, defaultTeam: 'nobody' } })).toThrow(/ASSIGNMENT_RULES/);
    expect(() => build({ 'complaints:listShards': 0 })).toThrow(/LIST_SHARDS/);
  });

  it('give the email intake the unverified-sender policy and the trusted authserv-id; never a switch that trusts unauthenticated mail', () => {
    const { api } = build({ 'complaints:inboundEmailUnverified': 'reject', 'complaints:inboundEmailAuthservId': 'mx.bank.example' });
    for (const vars of environments(api)) expect(vars).toMatchObject({ INBOUND_EMAIL_UNVERIFIED: 'reject', INBOUND_EMAIL_AUTHSERV_ID: 'mx.bank.example' });
    for (const vars of environments(defaults().api)) {
      expect(vars.INBOUND_EMAIL_UNVERIFIED).toBeUndefined();
      expect(vars.INBOUND_EMAIL_TRUST_UNAUTHENTICATED).toBeUndefined();
    }
    expect(() => build({ 'complaints:inboundEmailUnverified': 'attach' })).toThrow(/INBOUND_EMAIL_UNVERIFIED/);
  });

  it('give every function the evidence retention (default seven years), and the bucket the same retention', () => {
    for (const vars of environments(defaults().api)) expect(vars.EVIDENCE_RETENTION_DAYS).toBe('2557');
    // The same app evidence-vault.suite.ts reads the bucket's lock from (built once for both).
    const custom = sharedApp({ 'complaints:evidenceRetentionDays': 3650 });
    for (const vars of environments(custom.api)) expect(vars.EVIDENCE_RETENTION_DAYS).toBe('3650');
    expect(custom.stateful.evidence.retentionDays).toBe(3650);
  });

  it('give every function the evidence size limit and content-type allowlist when configured (list or comma-separated)', () => {
    const { api } = build({ 'complaints:evidenceMaxBytes': 50 * 1024 * 1024, 'complaints:evidenceContentTypes': ['application/pdf', 'image/png'] });
    for (const vars of environments(api)) expect(vars).toMatchObject({ EVIDENCE_MAX_BYTES: String(50 * 1024 * 1024), EVIDENCE_CONTENT_TYPES: 'application/pdf,image/png' });
    const csv = build({ 'complaints:evidenceContentTypes': 'application/pdf, text/plain' });
    for (const vars of environments(csv.api)) expect(vars.EVIDENCE_CONTENT_TYPES).toBe('application/pdf,text/plain');
  });

  it('leave the evidence limit and allowlist to the handlers’ defaults when not configured', () => {
    for (const vars of environments(defaults().api)) {
      expect(vars.EVIDENCE_MAX_BYTES).toBeUndefined();
      expect(vars.EVIDENCE_CONTENT_TYPES).toBeUndefined();
    }
  });

  it.each([
    ['evidenceRetentionDays', 0],
    ['evidenceRetentionDays', 36_501],
    ['evidenceRetentionDays', 'seven years'],
    ['evidenceMaxBytes', -1],
  ] as const)('fail synth on an invalid %s (%p)', (setting, value) => {
    expect(() => build({ [`complaints:${setting}`]: value })).toThrow(new RegExp(`${setting}|EVIDENCE_`));
  });

  it('give every function the approval and escalation settings when configured (rules as an object or JSON)', () => {
    const rules = { ...DEFAULT_APPROVAL_RULES, reputationalRisk: { roles: ['compliance'] } };
    const { api } = build({
      'complaints:approvalStageTimeoutHours': 72,
      'complaints:approvalReminderHours': 24,
      'complaints:escalationAckTimeoutHours': 12,
      'complaints:approvalRules': JSON.stringify(rules),
    });
    for (const vars of environments(api)) {
      expect(vars).toMatchObject({ APPROVAL_STAGE_TIMEOUT_HOURS: '72', APPROVAL_REMINDER_HOURS: '24', ESCALATION_ACK_TIMEOUT_HOURS: '12' });
      expect(JSON.parse(vars.APPROVAL_RULES!)).toEqual(rules);
    }
    const asObject = build({ 'complaints:approvalRules': DEFAULT_APPROVAL_RULES });
    for (const vars of environments(asObject.api)) expect(JSON.parse(vars.APPROVAL_RULES!)).toEqual(DEFAULT_APPROVAL_RULES);
  });

  it('leave the approval and escalation settings to the handlers’ defaults when not configured', () => {
    for (const vars of environments(defaults().api)) {
      for (const name of ['APPROVAL_STAGE_TIMEOUT_HOURS', 'APPROVAL_REMINDER_HOURS', 'ESCALATION_ACK_TIMEOUT_HOURS', 'APPROVAL_RULES']) expect(vars[name]).toBeUndefined();
    }
  });

  it.each([
    ['approvalStageTimeoutHours', 0, /APPROVAL_STAGE_TIMEOUT_HOURS/],
    ['approvalReminderHours', 721, /APPROVAL_REMINDER_HOURS/],
    ['escalationAckTimeoutHours', 'a day', /escalationAckTimeoutHours/],
    ['approvalRules', '{"compensation":', /approvalRules/],
    ['approvalRules', { compensation: {} }, /APPROVAL_RULES/],
  ] as const)('fail synth on an invalid %s (%p)', (setting, value, message) => {
    expect(() => build({ [`complaints:${setting}`]: value })).toThrow(message);
  });

  it('fail synth when the reminder interval is not below the stage timeout (it is the approval task’s heartbeat)', () => {
    expect(() => build({ 'complaints:approvalStageTimeoutHours': 24 })).toThrow(/APPROVAL_REMINDER_HOURS \(24\) must be less than APPROVAL_STAGE_TIMEOUT_HOURS \(24\)/);
    expect(() => build({ 'complaints:approvalStageTimeoutHours': 48, 'complaints:approvalReminderHours': 72 })).toThrow(/APPROVAL_REMINDER_HOURS/);
    expect(() => build({ 'complaints:approvalStageTimeoutHours': 24, 'complaints:approvalReminderHours': 6 })).not.toThrow();
  });

  it('accept only a CloudWatch Logs retention period', () => {
    expect(() => build({ 'complaints:logRetentionDays': 45 })).toThrow(/logRetentionDays/);
  });

  it('pin the stacks to an account and region only when configured', () => {
    const { stateful, api } = build({ 'complaints:account': '123456789012', 'complaints:region': 'eu-west-2' });
    for (const stack of [stateful, api]) expect(stack.environment).toBe('aws://123456789012/eu-west-2');
  });
});
