// The ASL document's shape and the reading of it that needs no CDK: the local runner loads this alone, so a process
// that runs the workflows from already exported ASL (a test worker, see infra/local/workflows.ts) never loads aws-cdk-lib.
/** JSON as it appears in an ASL document. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The subset of an Amazon States Language state the local runner and the tests read. */
export interface AslState {
  Type: 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';
  Resource?: string;
  Parameters?: Json;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Next?: string;
  End?: boolean;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Retry?: { ErrorEquals: string[] }[];
  [field: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  Comment?: string;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

/** Every Task state of a definition, including those inside Map item processors and Parallel branches. */
export const taskStates = (definition: AslDefinition): [name: string, state: AslState][] =>
  Object.entries(definition.States).flatMap(([name, state]): [string, AslState][] => {
    const nested = [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])].filter((d): d is AslDefinition => d !== undefined);
    return [...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []), ...nested.flatMap(taskStates)];
  });
