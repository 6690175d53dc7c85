// Time is a port: AWS reads the system clock, the local stack and tests move a controllable one.
export interface Clock {
  /** Current time as an ISO-8601 UTC string with milliseconds. */
  now(): string;
}
