import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { reportSchema } from '../../core/report.ts';
import { summaryCsv, summaryMarkdown, type SummaryRow } from '../../reports/batch-summary.ts';
import { writeAtomic, writeReport } from '../../reports/write-report.ts';
import { folderFor } from '../batch/report-folder.ts';
import { readJsonFile } from '../read-json-file.ts';
import { jobPayloadSchema, jobResultSchema } from './job-payload.ts';


export interface Collected {
  rows: SummaryRow[];
  written: number;
  unchanged: number;
}

/**
 * Writes each finished job's report folder under `dir` as `grader batch` does (atomic
 * report files, then summary.md and summary.csv), failed jobs as summary rows with their
 * reason. A folder already holding the same report is left alone, so a rerun rewrites
 * nothing. `only` keeps the jobs of one batch (their keys).
 */
export async function collectResults(queue: Queue, dir: string, only?: ReadonlySet<string>): Promise<Collected> {
  await mkdir(dir, { recursive: true });
  const rows: SummaryRow[] = [];
  let written = 0;
  let unchanged = 0;
  const wanted = (job: { id?: string | undefined }) => !only || (job.id !== undefined && only.has(job.id));
  for (const job of (await queue.getJobs(['completed'], 0, -1, true)).filter(wanted)) {
    const data = jobPayloadSchema.safeParse(job.data);
    const result = jobResultSchema.safeParse(job.returnvalue);
    if (!data.success || !result.success) {
      rows.push({ candidate: job.name, reportPath: '', report: null, problem: `job ${job.id}: stored data unreadable by this version` });
      continue;
    }
    const folder = folderFor(data.data.candidate);
    const target = path.join(dir, folder);
    const report = result.data.report;
    const there = await readJsonFile(path.join(target, 'report.json'), reportSchema);
    if (there.kind === 'ok' && there.value.jobId === report.jobId) unchanged += 1;
    else {
      await writeReport(target, report);
      written += 1;
    }
    rows.push({ candidate: data.data.candidate, reportPath: `${folder}/report.md`, report });
  }
  for (const job of (await queue.getJobs(['failed'], 0, -1, true)).filter(wanted)) {
    const data = jobPayloadSchema.safeParse(job.data);
    rows.push({ candidate: data.success ? data.data.candidate : job.name, reportPath: '', report: null, problem: job.failedReason ?? 'failed' });
  }
  await writeAtomic(path.join(dir, 'summary.csv'), summaryCsv(rows));
  await writeAtomic(path.join(dir, 'summary.md'), summaryMarkdown(rows, 'Queued gradings'));
  return { rows, written, unchanged };
}
