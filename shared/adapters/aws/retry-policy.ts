// The retry policy of every AWS call and of our own retries, in one place.
//
// - SDK calls: the SDK's `standard` retry mode (exponential backoff with full jitter, 500 ms base for throttles, a
//   retry quota). `adaptive` mode adds a client-side rate limiter; measured under the chaos scenario (10% throttles)
//   it cut every call of the client to a crawl (40 operations: 105 s against 48 s in standard mode), because the
//   limiter slows all of a client's calls for one throttled partition: it does not fit a client shared by every
//   access pattern of the function, so it is not used. Its attempts are bounded by the function's timeout: the worst-case backoff of the retries must fit in a third of it,
//   leaving the rest for the work and the answer. Lambda functions get it as AWS_RETRY_MODE/AWS_MAX_ATTEMPTS (the
//   SDK reads both when a client is built), set by the one function construct from the function's own timeout.
// - Our retries (a transaction conflicted, a lease was held): capped exponential backoff with full jitter, for a time
//   budget that is also a share of the function's timeout. What outlasts either is answered 429/503 with Retry-After
//   by the one error mapping (#http/problem).

export const SDK_RETRY_MODE = 'standard';

/** The timeout of a function that answers the API (the function construct's default; the local server gives the same). */
export const API_FUNCTION_TIMEOUT_SECONDS = 10;

/** The SDK's throttling backoff base (standard mode: 500 ms for throttles, 100 ms otherwise) and its cap per delay. */
const SDK_THROTTLE_BASE_MS = 500;
const SDK_MAX_DELAY_MS = 20_000;
/** Never fewer than the SDK's default (3), never more than this many. */
const MIN_ATTEMPTS = 3;
const MAX_ATTEMPTS = 8;

/** The worst-case time the SDK waits between `attempts` attempts of one throttled call. */
export const sdkWorstCaseBackoffMs = (attempts: number): number => {
  let total = 0;
  for (let retry = 1; retry < attempts; retry++) total += Math.min(SDK_MAX_DELAY_MS, SDK_THROTTLE_BASE_MS * 2 ** (retry - 1));
  return total;
};

/** The most attempts whose worst-case backoff fits in a third of the timeout (at least the SDK's default 3). */
export const sdkMaxAttempts = (timeoutSeconds: number): number => {
  let n = MIN_ATTEMPTS;
  while (n < MAX_ATTEMPTS && sdkWorstCaseBackoffMs(n + 1) <= (timeoutSeconds * 1000) / 3) n++;
  return n;
};

/** The settings a function with this timeout runs with (the SDK reads them from its environment). */
export const sdkRetryEnvironment = (timeoutSeconds: number): { AWS_RETRY_MODE: string; AWS_MAX_ATTEMPTS: string } => ({
  AWS_RETRY_MODE: SDK_RETRY_MODE,
  AWS_MAX_ATTEMPTS: String(sdkMaxAttempts(timeoutSeconds)),
});

/** The time our own retries of one operation may take: half the function's timeout, capped at 5 s. */
export const ownRetryBudgetMs = (timeoutSeconds: number): number => Math.min(5_000, (timeoutSeconds * 1000) / 2);

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base·2^(attempt−1))). */
export const fullJitterMs = (attempt: number, baseMs: number, capMs: number, random: number = Math.random()): number =>
  Math.floor(random * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));
