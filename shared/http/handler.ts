// defineHandler: wraps a route's use-case function in the one middy stack every HTTP handler shares
// (handler-core.ts), plus Idempotency-Key handling (Powertools Idempotency) on every POST route.
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { idempotency } from './middleware/idempotency';
import { buildHandler, type ApiHandler, type HttpReply, type HttpRequest, type RouteOf } from './handler-core';
import type { RouteId } from './routes';
import { loadSettings } from './settings-loader';

export type { ApiHandler, HttpReply, HttpRequest } from './handler-core';

export const defineHandler = <K extends RouteId>(route: RouteOf<K>, impl: (req: HttpRequest<K>) => Promise<HttpReply>): ApiHandler =>
  buildHandler(route, impl, (route) => (route.method === 'POST' ? [idempotency() as middy.MiddlewareObj<APIGatewayProxyEventV2>] : []), loadSettings);
