// The typed API client with the session's bearer token, and problem+json turned into errors a screen can show.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createComplaintsClient, type ComplaintsClient, type components } from '@complaints/client';
import { useSession } from './session';

export type Schemas = components['schemas'];
export type CaseView = Schemas['Case'];

/** The client of the public API, as the signed-in user; reads the token at each request so a renewed one is used. */
export const useApi = (): ComplaintsClient => {
  const { apiUrl, token, renew } = useSession();
  const tokenRef = useRef(token);
  tokenRef.current = token;
  const renewRef = useRef(renew);
  renewRef.current = renew;
  return useMemo(() => {
    // A 401 with a renewable session (local mode) is retried once with a fresh token.
    const retrying = async (request: Request): Promise<Response> => {
      const retry = request.clone();
      const res = await fetch(request);
      const again = res.status === 401 ? await renewRef.current?.() : undefined;
      if (!again) return res;
      tokenRef.current = again;
      retry.headers.set('authorization', `Bearer ${again}`);
      return fetch(retry);
    };
    return createComplaintsClient({ baseUrl: apiUrl, token: () => tokenRef.current ?? '', fetch: retrying });
  }, [apiUrl]);
};

/** The ETag of the case version the user read: every case change sends it, and the API answers 412 when it is stale. */
export const ifMatch = (version: number): { 'If-Match': string } => ({ 'If-Match': `"${version}"` });

export type ErrorKind = 'stale' | 'forbidden' | 'not_found' | 'invalid' | 'conflict' | 'unauthorized' | 'throttled' | 'network' | 'other';

export interface DisplayError {
  status: number;
  kind: ErrorKind;
  /** One line a person can act on. */
  message: string;
  title?: string;
  detail?: string;
  /** Field errors of a 400, by field path (e.g. body.reason). */
  fields?: { field: string; message: string }[];
}

const kindOf = (status: number): ErrorKind =>
  status === 412 ? 'stale' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 400 || status === 422 ? 'invalid' : status === 409 ? 'conflict' : status === 401 ? 'unauthorized' : status === 429 ? 'throttled' : 'other';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** RFC 9457 problem+json (or anything else a request failed with) as a DisplayError. */
export const toDisplayError = (error: unknown, response?: Response): DisplayError => {
  if (error instanceof ApiError) return error.display;
  if (!response) return { status: 0, kind: 'network', message: `The API could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  const status = response.status;
  const kind = kindOf(status);
  const problem = isRecord(error) ? error : {};
  const title = typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${status}`;
  const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
  const fields = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is { field: string; message: string } => isRecord(e) && typeof e.field === 'string' && typeof e.message === 'string')
    : undefined;
  const message =
    kind === 'stale'
      ? 'This case changed since you opened it; reload to see the change. What you typed is kept.'
      : kind === 'forbidden'
        ? `Not allowed: ${detail ?? 'your role does not permit this action.'}`
        : kind === 'unauthorized'
          ? 'Your sign-in has expired or is not valid; sign in again.'
          : (detail ?? title);
  return { status, kind, message, title, ...(detail ? { detail } : {}), ...(fields?.length ? { fields } : {}) };
};

/** A failed API call, carrying what to show. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly display: DisplayError) {
    super(display.message);
  }
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call, or an ApiError with the problem as a DisplayError. */
export const unwrap = async <T>(call: Promise<Result<T>>): Promise<T> => {
  let result: Result<T>;
  try {
    result = await call;
  } catch (err) {
    throw new ApiError(toDisplayError(err));
  }
  if (!result.response.ok || result.data === undefined) throw new ApiError(toDisplayError(result.error, result.response));
  return result.data;
};

export interface Query<T> {
  data?: T;
  error?: DisplayError;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `deps` and on reload(); a late answer of an older load is dropped. */
export const useApiQuery = <T>(load: (api: ComplaintsClient) => Promise<T>, deps: readonly unknown[]): Query<T> => {
  const api = useApi();
  const [state, setState] = useState<{ data?: T; error?: DisplayError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    run(api).then(
      (data) => mine === seq.current && setState({ data, loading: false }),
      (err: unknown) => mine === seq.current && setState((s) => ({ ...s, error: toDisplayError(err), loading: false })),
    );
  }, [api, run, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
};
