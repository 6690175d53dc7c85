// The OpenAPI 3.1 document, generated from the route table and its zod schemas (never written by hand).
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ZodObject } from 'zod';
import * as z from 'zod';
import { Problem } from '#schemas/common';
import { EVENT_DETAIL, EVENT_SCHEMA_VERSION, PUBLISHED_EVENT_TYPES, WebhookPayload } from '#schemas/events';
import { SIGNATURE_HEADERS } from '#domain/helpdesk';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '#domain/webhooks';
import { config } from './config';
import { HEADER_LIMITS } from './middleware/validate';
import { RETRY_AFTER_STATUSES } from './problem';
import { isPaged, ROUTE_TAGS, routeList, type RouteDef } from './routes';

const PAGED =
  ' A list: `limit` and `cursor` in, `{ items, nextCursor? }` out. Pass `nextCursor` back as `cursor` for the next page (absent on the last one); it is opaque, sealed (AES-256-GCM) to this route, your identity and the same filters, and any other cursor is 400.';
const AUDIT_ONLY = ' Audit-only: its audit events join the case’s hash chain, but the case’s version (ETag) does not move.';

const STATUS_TEXT: Record<number, string> = {
  400: 'Malformed or invalid input; errors[] names each field',
  401: 'Missing, expired or invalid token',
  403: 'Your role does not permit this',
  404: 'Unknown, or not visible to you',
  409: 'Invalid state transition, duplicate, or Idempotency-Key reused with another body',
  412: 'If-Match version is stale',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Throttled; retry after Retry-After seconds',
  500: 'An unexpected fault of the service: nothing internal is disclosed; instance names the request in the logs',
  503: 'The function ran out of time; retry after Retry-After seconds (writes are transactional and idempotent, so a retry never doubles one)',
};

/** The HMAC header pairs that authenticate a signed delivery, as OpenAPI security schemes (apiKey in a header). */
const SIGNATURE_SCHEMES = {
  zendeskSignature: { name: SIGNATURE_HEADERS.zendesk.signature, description: 'Zendesk: base64 HMAC-SHA256(secret, timestamp + body)' },
  zendeskSignatureTimestamp: { name: SIGNATURE_HEADERS.zendesk.timestamp, description: 'Zendesk: the signed timestamp (5-minute replay window)' },
  helpdeskSignature: { name: SIGNATURE_HEADERS.shared.signature, description: 'jira, servicenow, generic: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>' },
  helpdeskSignatureTimestamp: { name: SIGNATURE_HEADERS.shared.timestamp, description: 'jira, servicenow, generic: the signed timestamp, Unix seconds or ISO-8601 (5-minute replay window)' },
  webhookSignature: { name: SIGNATURE_HEADER, description: 'sha256=<hex HMAC-SHA256(subscription secret, "<timestamp>.<body>")>' },
  webhookTimestamp: { name: TIMESTAMP_HEADER, description: 'Unix seconds the signature covers; refuse a delivery far from now' },
} as const;

/** The role rule a route enforces, in words: the gate's roles and scopes, then what the domain checks on the case. */
const accessText = (r: RouteDef): string => {
  if (r.auth.kind === 'public') return r.signedBody ? 'No bearer token: each delivery is authenticated by its provider’s HMAC signature.' : 'Public: no token.';
  const { roles, scopes, caseRule } = r.auth;
  const gate = `Roles: ${roles.join(', ')}${scopes?.length ? `; scopes: ${scopes.join(', ')}` : ''}.`;
  if (!caseRule) return gate;
  const parts: string[] = [];
  if (caseRule.ownerOr) parts.push(caseRule.ownerOr.length ? `only the case’s owner or ${caseRule.ownerOr.join(', ')}` : 'only the case’s owner');
  if (caseRule.notOwner) parts.push('never the case’s owner');
  if (caseRule.detail) parts.push(caseRule.detail);
  return `${gate} Of those, ${parts.join('; ')} (403 otherwise).`;
};

export const buildOpenApi = () => {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Cognito access or ID token; roles come from cognito:groups, machine clients carry scope complaints/intake.',
  });
  for (const [id, scheme] of Object.entries(SIGNATURE_SCHEMES)) registry.registerComponent('securitySchemes', id, { type: 'apiKey', in: 'header', ...scheme });
  const helpdeskSecurity: Record<string, string[]>[] = [{ zendeskSignature: [], zendeskSignatureTimestamp: [] }, { helpdeskSignature: [], helpdeskSignatureTimestamp: [] }];
  const problemRef = { 'application/problem+json': { schema: Problem } };
  const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const } } };
  // The published domain events (the same schemas as docs/events/), as OpenAPI 3.1 webhooks: what a subscriber's
  // endpoint receives; their detail schemas land in the components by their ids (`ComplaintClosedV1`, …).
  for (const type of PUBLISHED_EVENT_TYPES) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `webhook${type}`,
      summary: `${type} (detail schema ${type}V${EVENT_SCHEMA_VERSION})`,
      description: `${EVENT_DETAIL[type].description ?? ''} Signed: x-webhook-timestamp and x-webhook-signature (sha256=HMAC-SHA256(secret, "<timestamp>.<body>"), hex).`,
      tags: ['webhooks'],
      security: [{ webhookSignature: [], webhookTimestamp: [] }],
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: WebhookPayload.extend({ type: z.literal(type), detail: EVENT_DETAIL[type] }).meta({ id: `${type}Webhook` }) } },
        },
      },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery; anything else is retried with backoff' } },
    });
  }

  for (const r of routeList()) {
    // 400 on every route: the header limits (Idempotency-Key, If-Match) and the refusal of unknown query parameters
    // apply before any route's own input.
    const errors = new Set<number>([400, 413, 415, 500, 503, ...(r.errors ?? [])]);
    if (r.auth.kind === 'jwt') [401, 403, 429].forEach((s) => errors.add(s));
    if (!r.body && !r.signedBody) {
      errors.delete(413);
      errors.delete(415);
    }
    if (r.method === 'POST') errors.add(409);
    const etag = { description: 'The case version, for If-Match', schema: { type: 'string' as const } };
    const headers: Record<string, unknown> = {};
    if (r.ok.etag) headers.ETag = etag;
    if (r.ok.location) headers.Location = { description: `${r.ok.location.description}: ${r.ok.location.template}`, required: true, schema: { type: 'string', format: 'uri-reference' } };
    if (r.ok.retryAfterSeconds !== undefined) headers['Retry-After'] = { description: 'Seconds to wait before polling Location', required: true, schema: { type: 'integer' } };
    registry.registerPath({
      operationId: r.id,
      method: r.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      description: `${accessText(r)}${r.ifMatch ? ' Accepts If-Match.' : ''}${r.method === 'POST' && !r.signedBody ? ' Accepts Idempotency-Key.' : ''}${isPaged(r) ? PAGED : ''}${r.auditOnly ? AUDIT_ONLY : ''}`,
      security: r.auth.kind === 'jwt' ? [{ [bearer.name]: [] }] : r.signedBody ? helpdeskSecurity : [],
      request: {
        ...(r.params ? { params: r.params as ZodObject } : {}),
        ...(r.query ? { query: r.query as ZodObject } : {}),
        // A PATCH body is a JSON merge patch (RFC 7396): the members sent replace the case's, the others stay.
        ...(r.body ? { body: { required: true, content: r.method === 'PATCH' ? { 'application/merge-patch+json': { schema: r.body }, 'application/json': { schema: r.body } } : { 'application/json': { schema: r.body } } } } : {}),
        ...(r.signedBody ? { body: { required: true, description: 'Signed JSON: the signature is checked over these exact bytes before the body is validated', content: { 'application/json': { schema: r.signedBody } } } } : {}),
      },
      parameters: [
        ...(r.conditional ? [{ name: 'If-None-Match', in: 'header' as const, required: false, schema: { type: 'string' as const }, description: 'ETag(s) you hold; 304 while the case is unchanged' }] : []),
        ...(r.ifMatch ? [{ name: 'If-Match', in: 'header' as const, required: false, schema: { type: 'string' as const, maxLength: HEADER_LIMITS['if-match'] }, description: 'ETag of the version you read' }] : []),
        ...(r.method === 'POST' && !r.signedBody ? [{ name: 'Idempotency-Key', in: 'header' as const, required: false, schema: { type: 'string' as const, maxLength: HEADER_LIMITS['idempotency-key'] }, description: 'Retries with the same key and body return the first response' }] : []),
      ],
      responses: {
        ...Object.fromEntries(
          [{ status: r.ok.status, description: r.ok.description }, ...(r.ok.also ? [r.ok.also] : [])].map((ok) => [
            ok.status,
            { description: ok.description, ...(Object.keys(headers).length ? { headers } : {}), content: { 'application/json': { schema: r.ok.schema }, ...(r.ok.csv ? { 'text/csv': { schema: z.string().meta({ description: r.ok.csv }) } } : {}) } },
          ]),
        ),
        ...(r.conditional ? { 304: { description: 'Not modified: the If-None-Match ETag is current (no body)', headers: { ETag: etag } } } : {}),
        ...Object.fromEntries([...errors].sort().map((s) => [s, { description: STATUS_TEXT[s] ?? 'Error', ...(RETRY_AFTER_STATUSES.has(s) ? { headers: retryAfter } : {}), content: problemRef }])),
      },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Complaint resolution API',
      version: config().SERVICE_VERSION,
      description:
        'Every formal complaint owned, timed, evidenced, approved and defensible. Errors are RFC 9457 problem+json. A restricted case is visible only to its owner and to supervisor, compliance, legal and admin: to anyone else it does not exist (404).',
      contact: { name: 'Complaint resolution service owners' },
      license: { name: 'UNLICENSED (proprietary)', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/' }],
    tags: Object.entries(ROUTE_TAGS).map(([name, description]) => ({ name, description })),
  });
};
