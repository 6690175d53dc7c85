// Clock selection, kept apart from the composition root (container.ts) so that routes which only need the
// time (health) do not load the DynamoDB SDK at cold start.
import type { Clock } from '#ports/clock';
import { localClock } from '#adapters/local/local-clock';
import { config } from './config';

const systemClock: Clock = { now: () => new Date().toISOString() };

export const clock = (): Clock => (config().CLOCK === 'local' ? localClock : systemClock);
