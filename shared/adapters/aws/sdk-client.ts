// One setting for every AWS SDK client we create: no SDK logger middleware, the retry policy, and the local stack's hook.
//
// The SDK's logger middleware builds a redacted copy of every request and response for the client's logger, and it
// does so even when that logger is the default no-op one: a walk over each response (a whole case item, a stream
// page of images) on every call, for nothing. We never hand the SDK a logger (the functions log through Powertools),
// so every client drops the middleware: about a quarter of the CPU a DynamoDB read of a large item costs in Node.
//
// The hook is how the embedded stack (infra/local/faults.ts) adds fault injection to the clients the adapters build.
// Only the local stack installs one; deployed bundles never import the code that does, so it cannot run there.

/** The part of an SDK client this needs (every v3 client has it). */
export interface WithMiddlewareStack {
  middlewareStack: { remove(toRemove: string): boolean };
}

/** The SDK's name for its logger middleware (the unit test checks a new client still has it, so a rename shows). */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

type ClientHook = (client: WithMiddlewareStack) => void;
let clientHook: ClientHook | undefined;

/** Local mode and tests only: runs on every client created from now on (the fault injector adds its middleware). */
export const setSdkClientHook = (hook: ClientHook | undefined): void => {
  clientHook = hook;
};

/** Returns `client` without the SDK's logger middleware (and with the local stack's hook applied, when there is one). */
export const withoutSdkLogger = <C extends WithMiddlewareStack>(client: C): C => {
  client.middlewareStack.remove(SDK_LOGGER_MIDDLEWARE);
  clientHook?.(client);
  return client;
};
