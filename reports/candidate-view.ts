import type { Area, Report } from '../core/report.ts';
import { areasWithChecks } from './by-area.ts';
import { STATUS_EXPORTS } from './status-exports.ts';

const AREA_TEXT: Record<Area, { name: string; met: string; missed: string }> = {
  startup: { name: 'Running the service', met: 'The service installed, started and reported itself healthy as the brief describes.', missed: 'The service did not install, start or report itself healthy as the brief describes.' },
  rate_limit: { name: 'Rate limiting', met: 'Rate limiting behaved as the brief describes.', missed: 'Parts of the rate-limiting behaviour did not match the brief.' },
  pagination: { name: 'Pagination', met: 'Listing and pagination behaved as the brief describes.', missed: 'Parts of the listing and pagination behaviour did not match the brief.' },
  error_handling: { name: 'Error handling', met: 'Error responses followed the brief.', missed: 'Some error responses did not follow the brief.' },
  load: { name: 'Performance', met: 'The service met the performance expectations in the brief.', missed: 'The service did not meet all of the performance expectations in the brief.' },
  security: { name: 'Security', met: 'No security problems were found.', missed: 'Some security expectations were not met.' },
  repo: { name: 'Repository', met: 'The repository was in good order.', missed: 'Some repository expectations were not met.' },
  resources: { name: 'Resource use', met: 'The service stayed within the resource expectations in the brief.', missed: 'The service used more resources than the brief allows.' },
  contract: { name: 'Behaviour', met: 'The service behaved as the brief describes.', missed: 'Parts of the behaviour did not match the brief.' },
};
const UNCHECKED = 'This part could not be fully checked automatically; a reviewer will look at it.';

/** What stopped the grading, in words that name the step and nothing of the hidden tests. */
const STOPPED_AT: Record<string, string> = {
  fetch: 'Your repository could not be fetched',
  install: 'Your submission\'s dependencies did not install in our environment',
  build: 'Your submission did not build in our environment',
  repo: 'Your repository could not be read',
  start: 'Your service did not start, or did not answer its health check, in our environment',
  checks: 'Your service stopped while it was being checked',
  load: 'Your service stopped while it was under load',
};

export interface CandidateArea {
  area: Area;
  name: string;
  verdict: 'met' | 'missed' | 'unchecked';
  text: string;
  points: number;
  max: number;
}

export interface CandidateView {
  /** The harness failed: nothing may be said about the submission. */
  harnessFailed: boolean;
  /** The step that stopped the grading because of the submission, in plain words. */
  stopped: string | null;
  areas: CandidateArea[];
}

/**
 * What a candidate may be told (the feedback file, Classroom's output): per area, whether
 * the submission met the brief, judged on must-checks with the one status mapping, in
 * neutral words. Never a check name, a request, a threshold or evidence: those are the
 * hidden tests. An area is "missed" only when a check was seen to fail.
 */
export function candidateView(report: Report): CandidateView {
  const harnessFailed = report.phases.some((phase) => phase.status === 'failed' && phase.blame === 'harness');
  const failed = report.phases.find((phase) => phase.status === 'failed' && phase.blame === 'candidate');
  const stopped = failed ? (STOPPED_AT[failed.name] ?? 'The automated review stopped early') : null;
  const applicable = report.checks.filter((check) => check.applies);
  const areas = areasWithChecks(applicable).flatMap((area): CandidateArea[] => {
    const inArea = applicable.filter((check) => check.area === area);
    const must = inArea.filter((check) => check.tier === 'must');
    if (must.length === 0) return [];
    const kinds = must.map((check) => STATUS_EXPORTS[check.status].feedback);
    const verdict = kinds.includes('missed') ? 'missed' : kinds.every((kind) => kind === 'met') ? 'met' : 'unchecked';
    const words = AREA_TEXT[area];
    return [{
      area,
      name: words.name,
      verdict,
      text: verdict === 'met' ? words.met : verdict === 'missed' ? words.missed : UNCHECKED,
      points: inArea.reduce((sum, check) => sum + check.points, 0),
      max: inArea.reduce((sum, check) => sum + check.maxPoints, 0),
    }];
  });
  return { harnessFailed, stopped, areas };
}
