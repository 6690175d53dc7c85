// Unique values for test data (ticket ids, sender addresses): random, never derived from the machine's date.
import { randomInt } from 'node:crypto';

let seq = 0;

/** A decimal string unique within the run: random digits, then a per-process counter (helpdesk ticket ids are digits). */
export const uniqueDigits = (): string => `${randomInt(100_000, 1_000_000)}${++seq}`;
