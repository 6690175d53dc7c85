// Api: the HTTP API built from the route table; one ApiFunction per handler entry, one route per route-table entry.
import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { isPaged, routeKey, routeList, type RouteDef, type RouteId } from '#http/routes';
import { ApiFunction, triageSettingsOf, type EvidenceUse, type ExportUse, type WorkflowMachine, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { EvidenceStore } from './evidence-vault';
import type { ExportStore } from './export-vault';
import type { CursorSealingKey } from './cursor-key';
import type { FeedbackSigningKey } from './feedback-links';
import type { InboundChannelStore } from './inbound-channels';

/** Request headers a browser may send cross-origin: the bearer token, JSON bodies, optimistic concurrency and idempotent retries. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'if-match', 'idempotency-key'] as const;
/** Response headers a browser script may read: the version for If-Match, a created resource and the back-off. */
export const CORS_EXPOSE_HEADERS = ['etag', 'location', 'retry-after'] as const;

export interface ApiProps extends FunctionSettings {
  data: { cases: DataTable; idempotency: DataTable };
  /** The only origins browsers may call from (the staff console's); none: no CORS at all. */
  corsOrigins?: string[];
  auth: { userPool: IUserPool; clients: IUserPoolClient[] };
  /** The evidence bucket: the routes in EVIDENCE_ACCESS get exactly their use of it. */
  evidence: EvidenceStore;
  /** The exports bucket and signing key: the routes in EXPORT_ACCESS get exactly their use of them. */
  exports: ExportStore;
  /** The key that signs customers' feedback links (the feedback route verifies them). */
  feedbackLinks: FeedbackSigningKey;
  /** The key material of sealed page cursors (every list route seals and opens them). */
  cursorKey: CursorSealingKey;
  /** The helpdesk signing secrets (the signed intake route reads them) and the raw-mail bucket (the rejection replay reads it). */
  channels: Pick<InboundChannelStore, 'helpdeskSecret' | 'encryptionKey' | 'mailBucketName' | 'mailObjectsArn'>;
  /** Stage-wide default throttling (requests per second, burst). */
  throttle: { rateLimit: number; burstLimit: number };
  /** The workflow state machines: the routes in WORKFLOW_ACCESS settle the task tokens of theirs. */
  workflows: Record<WorkflowMachine['workflow'], WorkflowMachine>;
}

type Route = RouteDef & { id: RouteId };

/**
 * Routes whose handlers read no table (liveness, the OpenAPI document, the published export key): their functions get no data
 * access at all. Every other route gets the cases table: read-only for a GET, read-write for any other method
 * and for a GET marked `writes` in the route table.
 */
/** Routes that open complaints, so triage them at intake: with Bedrock in the model chain, they may invoke the configured model. */
export const TRIAGE_INTAKE: ReadonlySet<RouteId> = new Set<RouteId>(['createComplaint', 'helpdeskIntake']);

/** The signed helpdesk webhook: GetSecretValue on the helpdesk secret, nothing else of it. */
export const HELPDESK_SIGNED_ROUTES: ReadonlySet<RouteId> = new Set<RouteId>(['helpdeskIntake']);

export const ROUTES_WITHOUT_DATA: ReadonlySet<RouteId> = new Set<RouteId>(['health', 'openapi', 'exportPublicKey']);

/**
 * The evidence routes and what each does with the evidence objects (see EVIDENCE_GRANTS); each is told the bucket.
 * Every other route gets nothing on S3.
 */
export const EVIDENCE_ACCESS: Readonly<Partial<Record<RouteId, EvidenceUse>>> = {
  // Reads the evidence log from the table: nothing on S3.
  listEvidence: 'list',
  // Signs the presigned PUT the client uploads with.
  registerEvidence: 'upload',
  // Signs the presigned GET of the verified version.
  getEvidence: 'download',
  // Puts and releases S3 Legal Hold on the case's objects.
  legalHold: 'legalHold',
  // Writes a ticket's inline attachments to the vault (registered for the verifier); never reads evidence.
  helpdeskIntake: 'store',
  // Keep the exact text of the letter sent (acknowledgement, final response) as evidence.
  recordAcknowledgement: 'letter',
  sendFinalResponse: 'letter',
};

/** The export routes and what each does with bundles and the signing key (see EXPORT_GRANTS); nothing else touches them. */
export const EXPORT_ACCESS: Readonly<Partial<Record<RouteId, ExportUse[]>>> = {
  // Records the job; the builder (a stream consumer) does the rest.
  requestExport: ['request'],
  // Signs the presigned GET of the ready bundle.
  getExport: ['download'],
  exportPublicKey: ['publicKey'],
  // Reads the customer index through the export service (no bundle access).
  customerComplaints: ['request'],
  // The hold reaches the case's bundles.
  legalHold: ['legalHold'],
  // A release outside the organisation (issue 32): the second approval records the export job, as requestExport does.
  requestRelease: ['request'],
  getRelease: ['request'],
  decideRelease: ['request'],
};

/**
 * The routes that settle a workflow's waiting task (SendTaskSuccess / SendTaskFailure) once their decision is
 * recorded, and which workflow's; each is told that state machine's ARN. No other route gets any `states:` action:
 * executions are started by the case-stream function, from the table stream, never by a route.
 */
export const WORKFLOW_ACCESS: Readonly<Partial<Record<RouteId, WorkflowMachine['workflow']>>> = {
  // Approve (success) or reject (failure 'Rejected') the stage the approval workflow waits on.
  decideApproval: 'approval',
  // The acknowledgement ends the level's wait (success).
  acknowledgeEscalation: 'escalation',
  // A waiver stops the escalation (failure 'Waived').
  waiveEscalation: 'escalation',
};

/** The routes that check a case's chain against its newest audit digest (read-only on the exports bucket's audit/). */
export const AUDIT_ANCHOR_READERS: ReadonlySet<RouteId> = new Set<RouteId>(['getTimeline']);

/** The routes that sign or verify feedback links: GetSecretValue on the signing secret, nothing else of it. */
export const FEEDBACK_SIGNING_ROUTES: ReadonlySet<RouteId> = new Set<RouteId>(['submitFeedback']);

/** A route that writes the cases table: as its route-table entry says (`writes`), else every method but GET. */
export const writesData = (route: RouteDef): boolean => route.writes ?? route.method !== 'GET';

/**
 * The nested stack each route function lives in, by its route's tag. CloudFormation allows 500 resources per stack and
 * every function brings four or five (function, role, policy, log group, permission); the HTTP API, its routes and
 * integrations stay in the API stack. Grouped by tag, not by position, so adding a route never moves another route's
 * function to a different stack (which would replace it). A new tag must be placed here (synth fails otherwise).
 */
export const ROUTE_STACK_OF_TAG: Readonly<Record<string, 'CaseRoutes' | 'RecordRoutes' | 'OversightRoutes'>> = {
  complaints: 'CaseRoutes',
  investigation: 'CaseRoutes',
  escalation: 'CaseRoutes',
  resolution: 'CaseRoutes',
  triage: 'CaseRoutes',
  letters: 'CaseRoutes',
  audit: 'RecordRoutes',
  evidence: 'RecordRoutes',
  exports: 'RecordRoutes',
  intake: 'RecordRoutes',
  feedback: 'RecordRoutes',
  reports: 'OversightRoutes',
  deadlines: 'OversightRoutes',
  webhooks: 'OversightRoutes',
  problems: 'OversightRoutes',
  regimes: 'OversightRoutes',
  meta: 'OversightRoutes',
  // Staff availability for routing (issue 32).
  staff: 'OversightRoutes',
};

/** `functions/create-complaint/handler.ts` → `CreateComplaint`: stable construct ids, so logical ids survive reordering. */
const entryId = (entry: string): string =>
  (entry.split('/').at(-2) ?? entry)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

const pascal = (id: string) => id[0]!.toUpperCase() + id.slice(1);

export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** One function per handler entry, keyed by the entry path. */
  readonly functions: ReadonlyMap<string, ApiFunction>;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Complaint-resolution API (routes from shared/http/routes.ts)',
      createDefaultStage: false,
      // Browsers may call the API only from the staff console's origin (when it is deployed); no other origin is named.
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
              allowHeaders: [...CORS_ALLOW_HEADERS],
              exposeHeaders: [...CORS_EXPOSE_HEADERS],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integration.latency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    // The authorizer verifies signature, issuer, audience (our two clients) and expiry. It deliberately
    // sets no authorizationScopes: API Gateway would then demand one of those scopes in *every* token,
    // and staff tokens carry groups, not `complaints/intake`. Roles and scopes are checked per route by
    // the handler's authorize middleware (either a listed role or a listed scope admits the caller).
    const jwt = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.auth.userPool, {
      userPoolClients: props.auth.clients,
      identitySource: ['$request.header.Authorization'],
    });
    const none = new HttpNoneAuthorizer();

    // The environment was validated at synth with the handlers' schema (infra/app.ts): this is what they will run.
    const triage = triageSettingsOf(props.environment);
    const routes = routeList();
    const byEntry = new Map<string, Route[]>();
    for (const route of routes) byEntry.set(route.entry, [...(byEntry.get(route.entry) ?? []), route]);

    const functions = new Map<string, ApiFunction>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    const routeStacks = new Map<string, NestedStack>();
    const stackFor = (route: Route): NestedStack => {
      const name = ROUTE_STACK_OF_TAG[route.tag];
      if (!name) throw new Error(`route ${route.id} has tag '${route.tag}', which ROUTE_STACK_OF_TAG (infra/constructs/api.ts) places in no nested stack`);
      let stack = routeStacks.get(name);
      if (!stack) routeStacks.set(name, (stack = new NestedStack(this, name, { description: `Complaints: the route functions of ${Object.keys(ROUTE_STACK_OF_TAG).filter((t) => ROUTE_STACK_OF_TAG[t] === name).join(', ')}` })));
      return stack;
    };
    for (const [entry, entryRoutes] of byEntry) {
      const fn = new ApiFunction(stackFor(entryRoutes[0]!), `${entryId(entry)}Function`, {
        entry,
        description: entryRoutes.map(routeKey).join(', '),
        environment: props.environment,
        serviceName: props.serviceName,
        metricsNamespace: props.metricsNamespace,
        logRetention: props.logRetention,
      });
      if (entryRoutes.some((r) => FEEDBACK_SIGNING_ROUTES.has(r.id))) fn.signFeedbackLinks(props.feedbackLinks);
      if (entryRoutes.some((r) => isPaged(r))) fn.sealPageCursors(props.cursorKey);
      if (!entryRoutes.every((r) => ROUTES_WITHOUT_DATA.has(r.id))) {
        fn.bindTable(props.data.cases, entryRoutes.some(writesData) ? 'readWrite' : 'read');
      }
      const evidenceUses = entryRoutes.flatMap((r) => EVIDENCE_ACCESS[r.id] ?? []);
      if (evidenceUses.length) fn.allowEvidence(props.evidence, ...evidenceUses);
      const exportUses = entryRoutes.flatMap((r) => EXPORT_ACCESS[r.id] ?? []);
      if (exportUses.length) fn.allowExports(props.exports, ...exportUses);
      if (entryRoutes.some((r) => AUDIT_ANCHOR_READERS.has(r.id))) fn.readAuditAnchors(props.exports);
      for (const workflow of new Set(entryRoutes.flatMap((r) => WORKFLOW_ACCESS[r.id] ?? []))) fn.settleWorkflowTasks(props.workflows[workflow]);
      if (triage.models.includes('bedrock') && entryRoutes.some((r) => TRIAGE_INTAKE.has(r.id))) fn.invokeTriageModel(triage.bedrockModelId);
      if (entryRoutes.some((r) => HELPDESK_SIGNED_ROUTES.has(r.id))) fn.readHelpdeskSecrets(props.channels);
      // Every POST is idempotent (Idempotency-Key, Powertools persistence); a signed webhook is de-duplicated on its
      // ticket instead and never reads the idempotency table.
      if (entryRoutes.some((r) => r.method === 'POST' && !r.signedBody)) fn.bindTable(props.data.idempotency, 'readWrite');
      functions.set(entry, fn);
      integrations.set(entry, new HttpLambdaIntegration(`${entryId(entry)}Integration`, fn.function));
    }
    this.functions = functions;

    // Per-route throttles from the route table (every public route), below the stage-wide default. RouteSettings is
    // untyped JSON to CDK and to the CloudFormation spec: the keys are CloudFormation's (RouteSettings type, PascalCase),
    // which test/infra/cfn-spec.suite.ts checks against the spec's RouteSettings definition.
    const throttled = routes.filter((r) => r.throttle);
    if (throttled.length) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
        throttled.map((r) => [routeKey(r), { ThrottlingRateLimit: r.throttle!.rateLimit, ThrottlingBurstLimit: r.throttle!.burstLimit }]),
      );
    }

    for (const route of routes) {
      const httpRoute = new HttpRoute(this, `${pascal(route.id)}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations.get(route.entry)!,
        authorizer: route.auth.kind === 'public' ? none : jwt,
      });
      // The stage's route settings name this route: it must exist first.
      if (route.throttle) this.stage.node.addDependency(httpRoute);
      if (route.auth.kind === 'public') {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} (${route.summary}) is public by design: the route table and API.md give it no authorization, so callers without a token can reach it.`,
        });
      }
    }
  }
}
