import type { Security } from '../../core/security.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CheckResult, Report, RepoSignals } from '../../core/report.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';

const evidenceItemSchema = z.union([
  z.object({ check: z.string(), weight: z.number().positive().default(1) }),
  z.object({ area: z.string(), weight: z.number().positive().default(1) }),
  z.object({ signal: z.enum(['readme.present', 'readme.tradeoffs', 'tests.present', 'tests.passing', 'commits.timeline']), weight: z.number().positive().default(1) }),
]);

export const rubricSchema = z.object({
  criteria: z
    .array(
      z.object({
        id: z.string(),
        title: z.string(),
        automated: z.boolean().default(true),
        levels: z.object({ exceeds: z.string(), meets: z.string(), below: z.string() }),
        evidence: z.array(evidenceItemSchema).default([]),
        reviewerLooksAt: z.array(z.string()).default([]),
      }),
    )
    .min(1),
});
export type Rubric = z.infer<typeof rubricSchema>;

export async function loadRubric(assignmentDir: string): Promise<Rubric | null> {
  const file = path.join(assignmentDir, 'rubric.yaml');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = rubricSchema.safeParse(parseYaml(text), { reportInput: true });
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, file));
  return parsed.data;
}

function signalValue(signal: string, repo: RepoSignals | null): { value: number; reason: string } | null {
  if (!repo) return null;
  switch (signal) {
    case 'readme.present':
      return { value: repo.readme.present ? 1 : 0, reason: repo.readme.present ? `README present (${repo.readme.words} words)` : 'no README' };
    case 'readme.tradeoffs':
      return { value: repo.readme.hasTradeoffs ? 1 : 0, reason: repo.readme.hasTradeoffs ? 'README has a design/trade-offs section' : 'README has no design or trade-offs section' };
    case 'tests.present':
      return { value: repo.tests.status === 'none' ? 0 : 1, reason: repo.tests.status === 'none' ? 'no tests of their own' : `own tests: ${repo.tests.detail}` };
    case 'tests.passing':
      return { value: repo.tests.status === 'passed' ? 1 : 0, reason: `own tests: ${repo.tests.detail}` };
    case 'commits.timeline':
      // No timeline (one squashed commit) is information, not a penalty.
      return repo.commits.timeline === 'ok' ? { value: 1, reason: repo.commits.note } : null;
    default:
      return null;
  }
}

/** Below this many observed checks (or half of those planned) a criterion gets no suggested level. */
const MIN_OBSERVED = 3;

/**
 * A suggested level per criterion from the checks and signals it lists: the weighted share
 * that passed (a must-check failing caps the suggestion at "below"). Criteria automation
 * cannot judge say so and list what to read instead.
 */
export function suggestLevels(rubric: Rubric, checks: readonly CheckResult[], repo: RepoSignals | null, security: Security = { findings: [], watched: [] }): Report['rubric'] {
  return rubric.criteria.map((criterion) => {
    const reasons: string[] = [];
    const refs: string[] = [];
    let weighted = 0;
    let total = 0;
    let mustFailed = false;
    let planned = 0;
    let observed = 0;
    for (const item of criterion.evidence) {
      if ('check' in item || 'area' in item) {
        const relevant = 'check' in item ? checks.filter((c) => c.id === item.check) : checks.filter((c) => c.area === item.area && c.tier === 'must');
        const judged = relevant.filter((c) => c.status === 'pass' || c.status === 'fail');
        planned += relevant.filter((c) => c.status !== 'skip').length;
        observed += judged.length;
        if (judged.length === 0) continue;
        const passed = judged.filter((c) => c.status === 'pass').length;
        weighted += item.weight * (passed / judged.length);
        total += item.weight;
        refs.push(...judged.map((c) => c.id));
        const failed = judged.filter((c) => c.status === 'fail');
        if (failed.some((c) => c.tier === 'must')) mustFailed = true;
        reasons.push(
          'check' in item
            ? `${item.check}: ${judged[0]?.status}`
            : `${item.area}: ${passed}/${judged.length} must-checks passed${failed.length ? ` (failed: ${failed.map((c) => c.id).join(', ')})` : ''}`,
        );
      } else {
        const signal = signalValue(item.signal, repo);
        if (!signal) continue;
        weighted += item.weight * signal.value;
        total += item.weight;
        reasons.push(signal.reason);
      }
    }
    let suggested: 'exceeds' | 'meets' | 'below' | null = null;
    const enough = planned === 0 || (observed >= Math.min(MIN_OBSERVED, planned) && observed * 2 >= planned);
    if (criterion.automated && !enough) {
      reasons.unshift(`not enough evidence: ${observed} of the ${planned} checks behind this criterion were observed (the rest did not run); the reviewer decides`);
    } else if (criterion.automated && total > 0) {
      const share = weighted / total;
      suggested = mustFailed || share < 0.75 ? 'below' : share >= 0.95 ? 'exceeds' : 'meets';
      reasons.unshift(`${Math.round(100 * share)}% of the weighted evidence passed${mustFailed ? '; a must-check failed' : ''}`);
    } else if (!criterion.automated) {
      reasons.unshift('not judged automatically: read what is listed below');
    }
    // A criterion that weighs the security area also lists what the sandbox saw: facts for
    // the reviewer to read, worded as observations.
    if (criterion.evidence.some((item) => 'check' in item && item.check.startsWith('security.'))) {
      reasons.push(...security.findings.filter((finding) => finding.severity !== 'info').map((finding) => `observed (${finding.where}): ${finding.summary}`));
    }
    return {
      criterion: criterion.id,
      title: criterion.title,
      automated: criterion.automated,
      suggested,
      reasons,
      evidenceRefs: [...new Set(refs)],
      reviewerLooksAt: criterion.reviewerLooksAt,
    };
  });
}
