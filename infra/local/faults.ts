// Fault injection at the SDK boundary, local mode and tests only: FAULT_INJECTION="service:ErrorName:rate[:operation],…"
// makes a share of the calls to a service fail with the error that service raises (the SDK's own exception class,
// with its HTTP status in `$metadata`), below the SDK's retry middleware, so the real retries and error mapping run.
// Deterministic under FAULT_SEED: the same sequence of calls meets the same faults.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import * as s3 from '@aws-sdk/client-s3';
import * as scheduler from '@aws-sdk/client-scheduler';
import * as sfn from '@aws-sdk/client-sfn';
import * as sns from '@aws-sdk/client-sns';
import { z } from 'zod';
import { setSdkClientHook, type WithMiddlewareStack } from '#adapters/aws/sdk-client';
import { setLocalBoundaryHook } from '#adapters/local/local-boundary';

/** The services a rule may name, with the SDK package whose exception classes it raises and that package's base class. */
const SERVICES = {
  dynamodb: { module: dynamodb as Record<string, unknown>, base: dynamodb.DynamoDBServiceException },
  s3: { module: s3 as Record<string, unknown>, base: s3.S3ServiceException },
  scheduler: { module: scheduler as Record<string, unknown>, base: scheduler.SchedulerServiceException },
  eventbridge: { module: eventbridge as Record<string, unknown>, base: eventbridge.EventBridgeServiceException },
  sfn: { module: sfn as Record<string, unknown>, base: sfn.SFNServiceException },
  sns: { module: sns as Record<string, unknown>, base: sns.SNSServiceException },
} as const;
export type FaultService = keyof typeof SERVICES;

const Rule = z.object({
  service: z.enum(Object.keys(SERVICES) as [FaultService, ...FaultService[]]),
  error: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'an error name such as ThrottlingException'),
  rate: z.coerce.number().gt(0).max(1),
  operation: z.string().regex(/^[A-Z][A-Za-z0-9]*$/).optional(),
});
export type FaultRule = z.infer<typeof Rule>;

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** Parses FAULT_INJECTION; an empty or unset value is no rule. A malformed entry is an error (never silently ignored). */
export const parseFaults = (text: string | undefined): FaultRule[] =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [service, error, rate, operation, ...rest] = entry.split(':');
      const parsed = Rule.safeParse({ service, error, rate, ...(operation ? { operation } : {}) });
      if (!parsed.success || rest.length) {
        throw new FaultSpecError(`FAULT_INJECTION entry "${entry}" is not service:ErrorName:rate[:operation] (services: ${Object.keys(SERVICES).join(', ')}; 0 < rate ≤ 1)`);
      }
      return parsed.data;
    });

/** mulberry32: a small seeded generator; fault draws must repeat under the same seed, which Math.random cannot. */
const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** The HTTP status the service answers this error with (what the SDK's retry strategy and our mapping look at). */
const statusOf = (name: string): number => {
  if (/^(SlowDown|ServiceUnavailable)/.test(name)) return 503;
  if (/^Internal/.test(name)) return 500;
  return 400;
};

/** The error the service would raise: its modeled exception class when the SDK has one, else its base class named so. */
export const serviceError = (service: FaultService, name: string, input?: unknown): Error => {
  const { module, base } = SERVICES[service];
  const status = statusOf(name);
  const opts = {
    message: `injected fault: ${service} ${name}`,
    $metadata: { httpStatusCode: status, requestId: 'fault-injection', attempts: 1, totalRetryDelay: 0 },
  };
  if (service === 'dynamodb' && name === 'TransactionCanceledException') {
    // What DynamoDB says when concurrent transactions held the items: one reason per item, nothing written.
    const items = ((input as { TransactItems?: unknown[] } | undefined)?.TransactItems ?? [undefined]).map(() => ({ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }));
    return new dynamodb.TransactionCanceledException({ ...opts, message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${items.map((i) => i.Code).join(', ')}]`, CancellationReasons: items });
  }
  const ctor = module[name];
  if (typeof ctor === 'function' && ctor.prototype instanceof base) return new (ctor as new (o: typeof opts) => Error)(opts);
  return new base({ ...opts, name, $fault: status >= 500 ? 'server' : 'client' });
};

export interface FaultCounts {
  /** Calls that passed the boundary, per service (what the rates apply to). */
  calls: Record<string, number>;
  /** Faults raised, per `service:ErrorName`. */
  injected: Record<string, number>;
}

export class FaultInjector {
  private rules: FaultRule[];
  private random: () => number;
  private on = true;
  readonly counts: FaultCounts = { calls: {}, injected: {} };

  constructor(
    rules: FaultRule[],
    seed = 1,
    /** Calls the stand-ins make for themselves (scheduler and stream state, SES writing mail): AWS has no such calls to fail. */
    private readonly exempt: (operation: string, input: unknown) => boolean = () => false,
  ) {
    this.rules = rules;
    this.random = seeded(seed);
  }

  get active(): readonly FaultRule[] {
    return this.on ? this.rules : [];
  }

  /** Switches the faults off (the chaos test drains without them) or on again. */
  enable(on: boolean): void {
    this.on = on;
  }

  /** Replaces the rules (and restarts the draws from `seed`). */
  configure(rules: FaultRule[], seed = 1): void {
    this.rules = rules;
    this.random = seeded(seed);
  }

  /** The fault for this call, if one is drawn. */
  draw(service: string, operation: string, input?: unknown): Error | undefined {
    if (!this.on || !this.rules.length) return undefined;
    if (this.exempt(operation, input)) return undefined;
    this.counts.calls[service] = (this.counts.calls[service] ?? 0) + 1;
    for (const r of this.rules) {
      if (r.service !== service || (r.operation && r.operation !== operation)) continue;
      if (this.random() >= r.rate) continue;
      const key = `${r.service}:${r.error}`;
      this.counts.injected[key] = (this.counts.injected[key] ?? 0) + 1;
      return serviceError(r.service, r.error, input);
    }
    return undefined;
  }

  /** One line per rule, for `npm start`. */
  describe(): string[] {
    return this.rules.map((r) => `${r.service} ${r.error} at ${r.rate}${r.operation ? ` on ${r.operation}` : ''}`);
  }
}

type Handler = (args: { input: unknown }) => Promise<unknown>;
interface MiddlewareStack {
  add(mw: (next: Handler, context: { clientName?: string; commandName?: string }) => Handler, opts: { step: string; name: string; priority: string }): void;
}

const CLIENT_SERVICES: Record<string, FaultService> = {
  DynamoDBClient: 'dynamodb',
  S3Client: 's3',
  SchedulerClient: 'scheduler',
  EventBridgeClient: 'eventbridge',
  SFNClient: 'sfn',
  SNSClient: 'sns',
};
const serviceOf = (clientName: string): FaultService | undefined => (Object.hasOwn(CLIENT_SERVICES, clientName) ? CLIENT_SERVICES[clientName] : undefined);

let current: FaultInjector | undefined;

/** The injector in force (undefined: none). */
export const activeFaults = (): FaultInjector | undefined => current;

/** The SDK middleware: at the deserialize step, i.e. inside the retry middleware, where the service's answer would arrive. */
const addMiddleware = (client: WithMiddlewareStack): void => {
  (client as unknown as { middlewareStack: MiddlewareStack }).middlewareStack.add(
    (next, context) => async (args) => {
      const service = current ? serviceOf(String(context.clientName ?? '')) : undefined;
      const fault = service ? current?.draw(service, String(context.commandName ?? '').replace(/Command$/, ''), args.input) : undefined;
      if (fault) throw fault;
      return next(args);
    },
    { step: 'deserialize', name: 'faultInjection', priority: 'low' },
  );
};

/**
 * The embedded stack calls this before any handler builds a client: every SDK client created from now on, and the
 * stand-ins' boundary (local scheduler, outbox, workflows), consult the injector in force, which `setFaults` changes
 * at any time. Returns the injector FAULT_INJECTION/FAULT_SEED describe (undefined when they name no rule).
 */
export const installFaultHooks = (opts: { spec?: string | undefined; seed?: string | number | undefined; exempt?: (operation: string, input: unknown) => boolean } = {}): FaultInjector | undefined => {
  setSdkClientHook(addMiddleware);
  setLocalBoundaryHook((service, operation) => {
    const fault = current?.draw(service, operation);
    if (fault) throw fault;
  });
  const rules = parseFaults(opts.spec ?? process.env.FAULT_INJECTION);
  const rawSeed = opts.seed ?? process.env.FAULT_SEED ?? 1;
  const seed = Number(rawSeed);
  if (!Number.isInteger(seed)) throw new FaultSpecError(`FAULT_SEED must be an integer, got ${String(rawSeed)}`);
  current = rules.length ? new FaultInjector(rules, seed, opts.exempt) : undefined;
  return current;
};

/** Puts `injector` in force (undefined: no faults) for every client and stand-in the hooks reached. */
export const setFaults = (injector: FaultInjector | undefined): void => {
  current = injector;
};

/**
 * The stand-ins' own calls (the local table: scheduler, stream positions, workflow executions; SES writing raw mail):
 * AWS has no such calls to fail. A transaction is theirs when every item names the local table.
 */
export const standInCall =
  (localTable: string, inboundBucket: string) =>
  (operation: string, input: unknown): boolean => {
    const i = (input ?? {}) as { TableName?: unknown; Bucket?: unknown; TransactItems?: Record<string, { TableName?: unknown } | undefined>[] };
    if (i.TableName === localTable) return true;
    if (Array.isArray(i.TransactItems) && i.TransactItems.length) return i.TransactItems.every((t) => Object.values(t).some((op) => op?.TableName === localTable));
    return operation === 'PutObject' && i.Bucket === inboundBucket;
  };
