// The typed client of the complaint-resolution API: openapi-fetch over the types generated from its OpenAPI document.
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

export interface ComplaintsClientOptions {
  /** Where the API is served, e.g. https://api.example.com or http://127.0.0.1:3000 (`npm start`). */
  baseUrl: string;
  /** The bearer token (a Cognito JWT; locally from POST /local/token), or a function read before each request so a renewed token is used. */
  token?: string | (() => string | Promise<string>);
  /** Headers sent with every request (e.g. a correlation id). */
  headers?: Record<string, string>;
  /** A fetch implementation other than the global one (tests, proxies, retries). */
  fetch?: ClientOptions['fetch'];
}

export type ComplaintsClient = Client<paths>;

/** A client whose paths, parameters, bodies and responses are typed from the OpenAPI document. */
export const createComplaintsClient = ({ baseUrl, token, headers, fetch }: ComplaintsClientOptions): ComplaintsClient => {
  const client = createClient<paths>({ baseUrl, ...(headers ? { headers } : {}), ...(fetch ? { fetch } : {}) });
  if (token !== undefined) {
    const bearer: Middleware = {
      onRequest: async ({ request }) => {
        request.headers.set('authorization', `Bearer ${typeof token === 'function' ? await token() : token}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
};
