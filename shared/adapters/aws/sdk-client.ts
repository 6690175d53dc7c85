// One setting for every AWS SDK client we create: no SDK logger middleware.
//
// The SDK's logger middleware builds a redacted copy of every request and response for the client's logger, and it
// does so even when that logger is the default no-op one: a walk over each response (a whole case item, a stream
// page of images) on every call, for nothing. We never hand the SDK a logger (the functions log through Powertools),
// so every client drops the middleware: about a quarter of the CPU a DynamoDB read of a large item costs in Node.

/** The part of an SDK client this needs (every v3 client has it). */
interface WithMiddlewareStack {
  middlewareStack: { remove(toRemove: string): boolean };
}

/** The SDK's name for its logger middleware (the unit test checks a new client still has it, so a rename shows). */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/** Returns `client` without the SDK's logger middleware. */
export const withoutSdkLogger = <C extends WithMiddlewareStack>(client: C): C => {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  return client;
};
