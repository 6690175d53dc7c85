// The embedded stack's workflow engine, as the in-process handlers see it: the local stack installs the engine that
// runs the exported ASL (workflows/local) at start-up; handler bundles only carry this holder. Never deployed.
import type { WorkflowEngine } from '#ports/workflow-engine';

let installed: WorkflowEngine | undefined;

export const installLocalWorkflowEngine = (engine: WorkflowEngine | undefined): void => {
  installed = engine;
};

/** The installed engine; undefined before the local stack has started one (e.g. a unit test of a handler). */
export const localWorkflowEngine = (): WorkflowEngine | undefined => installed;
