// Memory and architecture of every Lambda function the stacks deploy: one table that ApiFunction sizes each function
// from and that the cost bench (bench/cost.ts) prices GB-seconds with. No CDK import, so the bench can read it cheaply.

/** Every function runs on Graviton (arm64): Lambda's GB-second is 20 % cheaper there than on x86_64. */
export const FUNCTION_ARCHITECTURE: 'arm64' | 'x86_64' = 'arm64';

/** Memory of a function unless the table below says otherwise (MB; Lambda gives CPU in proportion). */
export const DEFAULT_FUNCTION_MEMORY_MB = 1024;

/** Functions sized apart from the default, by entry file (the path ApiFunction's `entry` names). */
export const FUNCTION_MEMORY_MB: Readonly<Record<string, number>> = {
  // Streams: memory stays flat; more memory buys CPU for hashing and deflating (1,769 MB = one full vCPU).
  'functions/export-builder/handler.ts': 1769,
};

/** The memory (MB) the function built from `entry` is deployed with. */
export const functionMemoryMb = (entry: string): number => FUNCTION_MEMORY_MB[entry] ?? DEFAULT_FUNCTION_MEMORY_MB;
