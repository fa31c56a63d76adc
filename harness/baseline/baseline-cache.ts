import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { LoadBaseline } from '../../graders/load/load-checks.ts';
import type { LoadSettings } from '../../core/load.ts';
import { writeAtomic } from '../../reports/write-report.ts';
import { cacheDir } from '../cache-dir.ts';
import { HARNESS_VERSION } from '../version.ts';

const baselineSchema = z.object({ rps: z.number(), p95: z.number(), source: z.string(), family: z.string().nullable().default(null), comparable: z.boolean().default(true) });

export interface BaselineKey {
  assignment: string;
  imageId: string;
  settings: LoadSettings;
  cpus: number;
  /** Which solution measured: the reference, or the variant of the submission's family. */
  solution: string;
}

/**
 * The reference's load figures are only comparable on the same machine, image, assignment
 * version and probe settings, so all of those make the cache key.
 */
function fileFor(key: BaselineKey): string {
  const digest = createHash('sha256')
    .update(JSON.stringify({ ...key, host: hostname(), harness: HARNESS_VERSION }))
    .digest('hex')
    .slice(0, 24);
  return cacheDir('baselines', `${digest}.json`);
}

export async function readBaseline(key: BaselineKey): Promise<LoadBaseline | null> {
  const text = await readFile(fileFor(key), 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = baselineSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export async function writeBaseline(key: BaselineKey, baseline: LoadBaseline): Promise<void> {
  const file = fileFor(key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, JSON.stringify(baseline));
}
