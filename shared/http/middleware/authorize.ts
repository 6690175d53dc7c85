// Route-level access: claims to principal (401 when absent), then the route's roles or scopes (403).
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Principal } from '#domain/principal';
import { principalFromClaims, type Claims } from '../claims';
import { forbidden, unauthorized } from '../errors';
import type { RouteAuth } from '../routes';

export const allows = (auth: RouteAuth, p: Principal | undefined): boolean => {
  if (auth.kind === 'public') return true;
  if (!p) return false;
  return p.roles.some((r) => auth.roles.includes(r)) || p.scopes.some((s) => (auth.scopes ?? []).includes(s));
};

export const authorize = (auth: RouteAuth, onPrincipal: (event: object, p: Principal) => void): MiddlewareObj<APIGatewayProxyEventV2WithJWTAuthorizer> => ({
  before: (request) => {
    if (auth.kind === 'public') return;
    const claims = request.event.requestContext?.authorizer?.jwt?.claims as Claims | undefined;
    const principal = principalFromClaims(claims);
    if (!principal) throw unauthorized();
    if (!allows(auth, principal)) throw forbidden('your role does not permit this operation');
    onPrincipal(request.event, principal);
  },
});
