// The labelled triage data set: its record shape (validated on load) and where it lives in the repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { Category, Channel, Severity } from '#schemas/classification';
import { VulnerabilityCue } from '#schemas/triage';

export const DATASET_FILE = join(__dirname, 'data', 'complaints.jsonl');

export const LabelledComplaint = z
  .object({
    id: z.string(),
    channel: Channel,
    product: z.string(),
    summary: z.string().min(1),
    description: z.string().min(1),
    labels: z.object({
      category: Category,
      severity: Severity,
      regulatory: z.boolean(),
      vulnerability: z.array(VulnerabilityCue),
      /** The writer's tone: used to check the sentiment score, not trained on. */
      tone: z.enum(['calm', 'frustrated', 'angry']),
    }),
    split: z.enum(['train', 'test']),
  })
  .strict();
export type LabelledComplaint = z.infer<typeof LabelledComplaint>;

export const loadDataset = (file = DATASET_FILE): LabelledComplaint[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = LabelledComplaint.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
