// Liveness response.
import * as z from 'zod';

export const Health = z.object({ status: z.literal('ok'), service: z.string(), version: z.string(), time: z.string() }).meta({ id: 'Health' });
