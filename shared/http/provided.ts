// A capability a shared composition root uses but only some functions provide: the function that needs it (its handler
// module) provides the factory, so the others never bundle what it brings (the SNS client, jstat, the tokeniser).
// Built on first use; using it where no handler provided it is a wiring fault and throws.
export interface Provided<T> {
  provide(make: () => T): void;
  get(): T;
}

export const provided = <T>(what: string, providers: string): Provided<T> => {
  let make: (() => T) | undefined;
  let value: { v: T } | undefined;
  return {
    provide: (m) => {
      make ??= m;
    },
    get: () => {
      if (!value) {
        if (!make) throw new Error(`${what} is not wired in this function (only ${providers} provide it)`);
        value = { v: make() };
      }
      return value.v;
    },
  };
};
