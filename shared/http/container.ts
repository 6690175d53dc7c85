// Composition root: builds adapters from configuration once per process (module scope, never per request).
// Split by what a function needs (this file: the case table; integrations.ts: Scheduler, EventBridge, SNS;
// evidence-container.ts: S3; intake-container.ts: the triage models), so a function bundles only what it calls.
import { DynamoStaffDirectory } from '#adapters/aws/dynamo/staff-directory';
import { StaffService } from '#domain/availability';
import { monotonicFactory } from 'ulid';
import { ComplaintService, type ComplaintServiceDeps } from '#domain/complaint-service';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { clock } from './clock';
import { config, ConfigError, requireSetting } from './config';
import { checkRegimeOptions } from '#domain/regimes';

export { clock } from './clock';

let clients: ReturnType<typeof createDynamoClients> | undefined;
let complaints: ComplaintService | undefined;

export const ulidIds = (c: Clock): IdGenerator => {
  const next = monotonicFactory();
  return { next: () => next(Date.parse(c.now())) };
};

export const dynamo = () => {
  const cfg = config();
  return (clients ??= createDynamoClients({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }));
};

/** The case table adapter (one per call site; stateless besides the shared client). */
export const caseRepository = (): DynamoCaseRepository => new DynamoCaseRepository(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), listShards: config().LIST_SHARDS, ownerShards: config().OWNER_SHARDS, referenceBlock: config().REFERENCE_BLOCK_SIZE });

/** What every ComplaintService is built from (the intake service adds the triage models: #http/intake-container). */
export const complaintServiceDeps = (): ComplaintServiceDeps => {
  const cfg = config();
  try {
    checkRegimeOptions(cfg.regimes); // an unknown holiday region or zone is a deployment error: fail at start, not mid-request
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
  }
  const repo = caseRepository();
  const c = clock();
  return {
    repo,
    clock: c,
    ids: ulidIds(c),
    assignment: cfg.assignment,
    staff: staffDirectory(),
    regimes: cfg.regimes,
    dependencyBlockedMs: cfg.DEPENDENCY_BLOCKED_HOURS * 3_600_000,
    // A reclassification that changes a fact the approval rules read re-plans the standing proposal with these.
    approvals: { ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}), stageTimeoutMs: cfg.APPROVAL_STAGE_TIMEOUT_HOURS * 3_600_000 },
    // Deciding on suggestions reads the settings; the models load only where complaints open (#http/intake-container).
    triageSettings: cfg.triage,
  };
};

export const staffDirectory = (): DynamoStaffDirectory => new DynamoStaffDirectory(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), ownerShards: config().OWNER_SHARDS });

let staff: StaffService | undefined;
export const staffService = (): StaffService => (staff ??= new StaffService({ staff: staffDirectory(), repo: caseRepository(), clock: clock(), assignment: config().assignment }));

/** The case service of functions that never open a complaint: no triage model in their bundle. */
export const complaintService = (): ComplaintService => (complaints ??= new ComplaintService(complaintServiceDeps()));
