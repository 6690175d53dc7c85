// What the domain needs from a triage model (Bedrock, the local classifier): suggestions with confidences for one complaint.
import type { ModelOutput } from '#schemas/triage';

export interface TriageInput {
  summary: string;
  description: string;
  channel: string;
  product: string;
}

export interface TriageModel {
  /** Stable model identifier recorded in every audit event (e.g. `local-nb` or the Bedrock model id). */
  readonly modelId: string;
  readonly modelVersion: string;
  /** Suggestions for one complaint; rejects on failure, and must give up when `signal` aborts (the caller's timeout). */
  suggest(input: TriageInput, signal: AbortSignal): Promise<ModelOutput>;
}
