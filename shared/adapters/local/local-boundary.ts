// The stand-ins' side of the SDK boundary: where a local stand-in (scheduler, event bus, workflows) would have called
// an AWS service, it passes here, so the fault injector of the embedded stack can raise what that service would.
// Nothing is installed outside local mode and tests (infra/local/faults.ts installs it).

type BoundaryHook = (service: string, operation: string) => void;
let hook: BoundaryHook | undefined;

export const setLocalBoundaryHook = (h: BoundaryHook | undefined): void => {
  hook = h;
};

/** Throws the service's error when an injected fault hits this call; otherwise nothing. */
export const atLocalBoundary = (service: string, operation: string): void => {
  for (const o of observers) o(service, operation);
  hook?.(service, operation);
};

const observers = new Set<(service: string, operation: string) => void>();

/** Bench only (bench/cost.ts counts the calls a stand-in makes where AWS would be called); returns the unsubscribe. */
export const observeLocalBoundary = (fn: (service: string, operation: string) => void): (() => void) => {
  observers.add(fn);
  return () => observers.delete(fn);
};
