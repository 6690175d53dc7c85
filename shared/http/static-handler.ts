// Handlers of the two public routes that touch no data and take no input (health, openapi): the logger and a
// problem+json answer to any fault, but no tracer (its X-Ray SDK), no zod validation, no settings and no Luxon, so their
// bundles stay small (issue 28: ≤ 150 KB). Their traces are Lambda's own segment (active tracing); there is no call to trace.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { badRequest } from './errors';
import type { ApiHandler } from './handler-core';
import { logger } from './logger';
import { problemResponse, toProblem } from './problem';
import type { RouteId } from './routes';

export interface StaticReply {
  /** The JSON text of the answer (already serialised: the document is kept as text). */
  json: string;
  headers?: Record<string, string>;
}

/**
 * The routes built here: public GETs without parameters, query or body (test/bundles/route-modules.test.ts holds the
 * route table to that), so there is nothing to authorise or validate. Named by id, not by their route module, whose
 * response schema would bring zod in.
 */
export const STATIC_ROUTES = ['health', 'openapi'] as const satisfies readonly RouteId[];

export const defineStaticHandler = (id: (typeof STATIC_ROUTES)[number], impl: () => Promise<StaticReply>): ApiHandler =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(async (event: APIGatewayProxyEventV2) => {
    // No query is defined, so every parameter is unknown: refused as on every other route (one error per name).
    const unknown = Object.keys(event.queryStringParameters ?? {});
    if (unknown.length) {
      const errors = unknown.map((k) => ({ field: `query.${k}`, message: 'unknown field' }));
      throw badRequest(`the request is invalid: ${errors.map((x) => x.field).join(', ')}`, errors);
    }
    const reply = await impl();
    return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...reply.headers }, body: reply.json };
  })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use<middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>>({
      before: (request) => {
        logger.appendKeys({ route: id, correlationId: request.event.requestContext?.requestId });
      },
      onError: (request) => {
        const mapped = toProblem(request.error);
        logger.error('unhandled error', { error: request.error as Error });
        const requestId = request.event.requestContext?.requestId;
        request.response = problemResponse({ ...mapped.problem, ...(requestId ? { instance: `urn:request:${requestId}` } : {}) }, mapped.headers);
      },
    });
