// Adapts an exported ASL document to the local interpreter (aws-local-stepfunctions 3.0.0) where it departs from Step
// Functions, without touching the states, transitions, payloads, Retry or Catch:
// - Task tokens: the interpreter has no `$$.Task.Token`; runs pass a context whose Task.Token is a placeholder,
//   which the local handler swaps for a minted token.
// - Timers of callback tasks: the interpreter evaluates `TimeoutSecondsPath` against the task's *effective* input
//   (after Parameters), where Step Functions reads the state input, and ignores heartbeats altogether. So the timer
//   fields of `.waitForTaskToken` tasks move into the task's parameters (evaluated against the state input, as in Step
//   Functions) and the local engine enforces them on its own clock; the interpreter's own timer is set to a ceiling.
import type { AslDefinition, AslState, Json } from '../asl-document';

/** What `$$.Task.Token` resolves to locally; handlers replace it with the token they mint. */
export const LOCAL_TASK_TOKEN_PLACEHOLDER = 'local:task-token';

/** Context for `StateMachine.run` so that `$$.Task.Token` resolves. */
export const localRunContext = () => ({ Task: { Token: LOCAL_TASK_TOKEN_PLACEHOLDER } });

/**
 * The interpreter's own timeout for a callback task once its timers are emulated: just under Node's setTimeout limit
 * (2^31 − 1 ms ≈ 24.8 days; a larger delay fires at once). The engine's clock decides timeouts before that.
 */
export const LOCAL_TIMEOUT_CEILING_SECONDS = 2_000_000;

/** The effective input of a localized callback task: the original parameters and its timers, both evaluated. */
export interface LocalCallbackInput {
  localParameters: Json;
  localTimers: { timeoutSeconds?: number; heartbeatSeconds?: number };
}

export const isCallbackResource = (resource: string | undefined): boolean => resource?.endsWith('.waitForTaskToken') ?? false;

export const isLocalCallbackInput = (input: unknown): input is LocalCallbackInput =>
  typeof input === 'object' && input !== null && 'localParameters' in input && 'localTimers' in input;

const localizeTask = (name: string, state: AslState): AslState => {
  if (!isCallbackResource(state.Resource)) {
    if (state.TimeoutSecondsPath !== undefined || state.HeartbeatSecondsPath !== undefined) {
      throw new Error(`Task "${name}": TimeoutSecondsPath/HeartbeatSecondsPath are only emulated locally on .waitForTaskToken tasks`);
    }
    return state;
  }
  const { TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds, HeartbeatSecondsPath, Parameters, ...rest } = state;
  const timers: Record<string, Json> = {};
  if (TimeoutSeconds !== undefined) timers.timeoutSeconds = TimeoutSeconds;
  if (TimeoutSecondsPath !== undefined) timers['timeoutSeconds.$'] = TimeoutSecondsPath;
  if (HeartbeatSeconds !== undefined) timers.heartbeatSeconds = HeartbeatSeconds;
  if (HeartbeatSecondsPath !== undefined) timers['heartbeatSeconds.$'] = HeartbeatSecondsPath;
  return {
    ...rest,
    Parameters: { ...(Parameters === undefined ? { 'localParameters.$': '$' } : { localParameters: Parameters }), localTimers: timers },
    TimeoutSeconds: LOCAL_TIMEOUT_CEILING_SECONDS,
  };
};

/** A copy of `definition` for the local interpreter (the input is not modified). */
export const localizeAsl = (definition: AslDefinition): AslDefinition => ({
  ...definition,
  States: Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => {
      let local: AslState = state.Type === 'Task' ? localizeTask(name, state) : { ...state };
      if (state.ItemProcessor) local = { ...local, ItemProcessor: localizeAsl(state.ItemProcessor) };
      if (state.Iterator) local = { ...local, Iterator: localizeAsl(state.Iterator) };
      if (state.Branches) local = { ...local, Branches: state.Branches.map(localizeAsl) };
      return [name, local];
    }),
  ),
});

/** `value` with every occurrence of the token placeholder replaced by `token`. */
export const withTaskToken = (value: Json, token: string): Json => {
  if (value === LOCAL_TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((v) => withTaskToken(v, token));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTaskToken(v, token)]));
  return value;
};
