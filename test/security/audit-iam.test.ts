// Finding 8 of issue 25, the IAM half: every writing function used to have Put, Update and Delete on the whole cases
// table. Now no function may update an item of a case partition (case item, audit events, children), only two may
// delete, each only in the one non-case partition it prunes (dynamodb:LeadingKeys), the public routes and the webhook
// sender delete nothing there, and the audit digest job writes only its own head item. See CASE_TABLE_WRITES
// (infra/constructs/api-function.ts) for what IAM cannot express and what covers it.
import { ROUTES } from '#http/routes';
import type { ApiFunction } from '../../infra/constructs/api-function';
import { buildApp } from '../../infra/app';
import { resolveIn, resourcesInFamily, statementsOfRole, type Statement } from '../support/stacks';

const { stateful, api } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
const cases = stateful.data.cases;

const all: [string, ApiFunction][] = [
  ...api.api.functions,
  ...api.scheduler.functions,
  ...api.evidenceVerifier.functions,
  ...api.workflows.functions,
  ...api.reports.functions,
  ...api.exportBuilder.functions,
  ...api.retention.functions,
  ...api.auditDigest.functions,
  ...api.emailIntake!.functions,
  ...api.webhooks.functions,
];
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The statements of a function's role that name the cases table itself (not its indexes, not the idempotency table). */
const onCasesTable = (fn: ApiFunction): Statement[] => {
  const table = JSON.stringify(resolveIn(fn.role, cases.table.tableArn));
  return statementsOfRole(fn.role).filter((s) => list(s.Resource).some((r) => JSON.stringify(r) === table));
};
const granting = (fn: ApiFunction, action: string) => onCasesTable(fn).filter((s) => s.Effect === 'Allow' && list(s.Action).includes(action));
const leadingKeysOf = (s: Statement): string[] | undefined => {
  const c = s.Condition as Record<string, Record<string, string | string[]>> | undefined;
  const keys = c?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  return keys === undefined ? undefined : list(keys);
};
/** Whether a LeadingKeys pattern could match a case partition key (`CASE#<ulid>`). */
const reachesCases = (pattern: string) => /^(CASE#|CASE\*|C\*|\*)/.test(pattern) || pattern === 'CASE*';

describe('cases-table IAM (audit items)', () => {
  it('covers every function of the API stack', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  it('grants UpdateItem only under a LeadingKeys condition that reaches no case partition', () => {
    for (const [entry, fn] of all) {
      for (const s of granting(fn, 'dynamodb:UpdateItem')) {
        const keys = leadingKeysOf(s);
        expect({ entry, keys }).toEqual({ entry, keys: expect.any(Array) });
        expect({ entry, reaching: keys!.filter(reachesCases) }).toEqual({ entry, reaching: [] });
      }
    }
  });

  it('grants DeleteItem to the report projection (its rows) and the webhook sender (its retry index) only, each on its own partition', () => {
    const deleters = all.filter(([, fn]) => granting(fn, 'dynamodb:DeleteItem').length > 0).map(([entry]) => entry);
    expect(deleters.sort()).toEqual(['functions/report-projection/handler.ts', 'functions/webhook-delivery/handler.ts']);
    for (const [entry, fn] of all) {
      for (const s of granting(fn, 'dynamodb:DeleteItem')) {
        const keys = leadingKeysOf(s);
        expect({ entry, keys }).toEqual({ entry, keys: entry.includes('webhook') ? ['WEBHOOKDUE'] : ['RPT#*'] });
      }
    }
  });

  it('the public routes (feedback, helpdesk) may not delete or update any case-table item outside their counters', () => {
    for (const route of [ROUTES.submitFeedback, ROUTES.helpdeskIntake]) {
      const fn = api.api.functions.get(route.entry)!;
      expect(granting(fn, 'dynamodb:DeleteItem')).toEqual([]);
      for (const s of granting(fn, 'dynamodb:UpdateItem')) expect(leadingKeysOf(s)!.filter(reachesCases)).toEqual([]);
    }
  });

  it('the audit digest job puts only its head item (LeadingKeys AUDITDIGEST), and never updates or deletes', () => {
    const fn = api.auditDigest.job;
    expect(granting(fn, 'dynamodb:UpdateItem')).toEqual([]);
    expect(granting(fn, 'dynamodb:DeleteItem')).toEqual([]);
    expect(granting(fn, 'dynamodb:PutItem').map(leadingKeysOf)).toEqual([['AUDITDIGEST']]);
  });

  it('no statement anywhere in the API stack allows DeleteItem or UpdateItem on the cases table without a condition', () => {
    for (const [entry, fn] of all) {
      for (const action of ['dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:*', 'dynamodb:BatchWriteItem']) {
        expect({ entry, action, unconditioned: granting(fn, action).filter((s) => !s.Condition).length }).toEqual({ entry, action, unconditioned: 0 });
      }
    }
  });
});

describe('the audit digest schedule and its objects', () => {
  it('is a recurring EventBridge Scheduler schedule every 15 minutes invoking the digest function, outside the case-timer group', () => {
    const schedules = resourcesInFamily(api, 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const props = schedules[0]!.resource.Properties as { ScheduleExpression: string; GroupName?: string; Target: { Arn: unknown } };
    expect(props.ScheduleExpression).toBe('rate(15 minutes)');
    expect(props.GroupName).toBeUndefined();
    expect(props.Target.Arn).toEqual(resolveIn(api.auditDigest, api.auditDigest.job.function.functionArn));
  });

  it('only the digest job and the export builder may write audit objects; the timeline may only read them', () => {
    const audit = (fn: ApiFunction) => {
      const arn = JSON.stringify(resolveIn(fn.role, stateful.exports.auditObjectsArn));
      return statementsOfRole(fn.role).filter((s) => list(s.Resource).some((r) => JSON.stringify(r) === arn)).flatMap((s) => list(s.Action));
    };
    const writers = all.filter(([, fn]) => audit(fn).includes('s3:PutObject')).map(([entry]) => entry);
    expect(writers.sort()).toEqual(['functions/audit-digest/handler.ts', 'functions/export-builder/handler.ts']);
    expect(audit(api.api.functions.get(ROUTES.getTimeline.entry)!)).toEqual(['s3:GetObject']);
    for (const [, fn] of all) expect(audit(fn).filter((a) => a.startsWith('s3:Delete') || a === 's3:BypassGovernanceRetention')).toEqual([]);
  });
});
