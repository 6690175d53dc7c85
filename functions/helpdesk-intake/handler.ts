// POST /v1/intake/helpdesk/{provider}: verify the provider's signature over the raw body (401, nothing written), map
// the ticket (400 naming the fields), then open its complaint (201) or answer the case it already has (200).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { channelIntake, helpdeskSecrets } from '#http/channels-container';
import { clock } from '#http/container';
import { config } from '#http/config';
import { badRequest, HttpError } from '#http/errors';
import { buildHandler } from '#http/handler-core';
import { logger } from '#http/logger';
import { metrics } from '#http/metrics';
import { NotFoundError } from '#domain/errors';
import { headersFor, isProvider, mapTicket, verifySignature } from '#domain/helpdesk';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/helpdeskIntake';
import { HELPDESK_PROVIDERS } from '#schemas/channels';

const REASONS = {
  missing_signature: 'the signature header is missing',
  missing_timestamp: 'the signature timestamp header is missing',
  bad_timestamp: 'the signature timestamp is not Unix seconds or an ISO-8601 instant',
  stale: 'the signature timestamp is more than 5 minutes from now (a replay is refused)',
  mismatch: 'the signature does not match the body',
  no_secret: 'no signing secret is configured for this provider',
} as const;

// Built without the Idempotency-Key middleware: it would answer a stored response before the signature is checked,
// to anyone who sends the key. A helpdesk's retry is de-duplicated on the ticket id instead.
export const handler = buildHandler(route, async ({ params, rawBody, headers }) => {
  const provider = params.provider;
  if (!isProvider(provider)) throw new NotFoundError(`unknown helpdesk provider ${provider}; known: ${HELPDESK_PROVIDERS.join(', ')}`);
  logger.appendKeys({ provider });
  const body = rawBody ?? Buffer.alloc(0);
  const verdict = verifySignature(provider, await helpdeskSecrets().secretsFor(provider), headers ?? {}, body, clock().now());
  if (!verdict.ok) {
    metrics.addMetric('HelpdeskSignatureRefused', MetricUnit.Count, 1);
    logger.warn('helpdesk delivery refused', { reason: verdict.reason });
    const names = headersFor(provider);
    throw new HttpError(401, 'Unauthorized', `${REASONS[verdict.reason]} (${names.signature}, ${names.timestamp})`, undefined, { 'www-authenticate': `HMAC-SHA256 header="${names.signature}"` });
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8')) as unknown;
  } catch (err) {
    throw badRequest(`request body is not valid JSON: ${(err as Error).message}`, [{ field: 'body', message: 'malformed JSON' }]);
  }
  const mapped = mapTicket(provider, json, { regime: config().HELPDESK_DEFAULT_REGIME, now: clock().now(), outageRule: config().HELPDESK_OUTAGE_RULE });
  if (!mapped.ok) throw badRequest(`the ${provider} payload does not map to a complaint: ${mapped.errors.map((e) => e.field).join(', ')}`, mapped.errors);
  const out = await channelIntake().escalateTicket(provider, mapped.ticket);
  metrics.addMetric(`HelpdeskIntake_${out.outcome}`, MetricUnit.Count, 1);
  logger.info('helpdesk escalation', { outcome: out.outcome, caseId: out.case.id, externalRef: mapped.ticket.externalRef });
  return { status: out.outcome === 'existing' ? 200 : 201, body: out, version: out.case.version, headers: { location: locationIn(route, { id: out.case.id }) } };
});
