import type { CheckResult, Report, RepoSignals } from '../../core/report.ts';
import type { FindingKind, Security } from '../../core/security.ts';

/** Questions for a failed check, built around what the evidence showed. */
const GAP: Record<string, (message: string) => string> = {
  'rate_limit.concurrency': (m) => `${m} — walk me through what happens between reading and writing the counter, and how you would make it atomic across several instances.`,
  'rate_limit.boundary': (m) => `${m}. How do you count requests, and where does the comparison with the budget happen?`,
  'rate_limit.isolation': () => 'Exhausting one API key limited another. How do you key the budget, and what is the identity of a request without a key?',
  'rate_limit.recovery': () => 'A limited key stayed limited after its Retry-After. How does your window roll over, and what resets it?',
  'rate_limit.spoofing': () => 'Changing X-Forwarded-For gave a client a new budget. When is that header trustworthy, and how would you configure trust in a deployment behind a proxy?',
  'pagination.writes-during-walk': () => 'Items were skipped or repeated when items changed between pages. What does your cursor encode, and how would you make the walk stable under writes?',
  'pagination.full-walk': (m) => `${m}. What total order do your pages follow, and what breaks ties?`,
  'pagination.invalid-cursor': () => 'A bad cursor was not refused cleanly. How do you validate a cursor, and what should a client see?',
  'error_handling.no-leaks': () => 'An error body carried internals (a stack trace or path). Where are errors turned into responses, and what belongs in the log instead?',
  'error_handling.robustness': (m) => `Hostile input broke the server: ${m}. How would you find the remaining inputs like that one?`,
  'resources.peak-memory': (m) => `Memory grew without bound (${m}). What holds on to memory per request or per key, and how would you bound it?`,
  'load.p95-slo': (m) => `${m}. Where does the time go on the list endpoint, and what would you measure first?`,
};

/**
 * Questions from what the sandbox saw: asked as observations, since a limit can be hit by
 * honest code (a worker pool sized to the host's cores) as well as by an attack.
 */
const OBSERVED: Partial<Record<FindingKind, (summary: string) => string>> = {
  'egress-denied': (s) => `During install the sandbox refused connections outside the package registries (${s}). What in your dependencies or scripts reaches out, and why?`,
  'pids-limit': (s) => `The sandbox saw ${s}. What in your service starts processes or threads, and how many does it need?`,
  'oom-kill': (s) => `The sandbox saw ${s}. What holds memory in your service, and how would you bound it?`,
  'output-cap': () => 'Your service printed more output than the log keeps. What do you log per request, and how would you control it in production?',
  'disk-cap': () => 'Your service wrote until the disk cap stopped it. What does it write, where, and how is that bounded?',
};

/** Depth questions when an area passed: how the design holds up beyond the brief. */
const DEPTH: Record<string, string> = {
  rate_limit: 'Your limiter passed. How would it work behind a load balancer with 3 replicas, and what would you trade between accuracy and latency?',
  pagination: 'Pagination passed. What would change if clients could also sort by price, and how would the cursor cope?',
  error_handling: 'Errors were consistent. How would a client team discover and rely on your error format?',
  load: 'Latency met the bar. At 100× the items and 10× the traffic, what breaks first?',
  resources: 'Memory stayed bounded. What decides the size of your caches, and how would you size them in production?',
};

/**
 * Prompts for the follow-up live session, each citing the check or signal it came from:
 * one per failed must-check (the specific gap), one per fully passing area (depth), and
 * one from the repository signals.
 */
export function interviewPrompts(checks: readonly CheckResult[], repo: RepoSignals | null, security: Security = { findings: [], watched: [] }): Report['prompts'] {
  const prompts: Report['prompts'] = [];
  for (const finding of security.findings) {
    const ask = OBSERVED[finding.kind];
    if (ask && finding.severity !== 'info') prompts.push({ prompt: ask(finding.summary), source: `finding:${finding.kind}`, kind: 'gap' });
  }
  for (const check of checks.filter((c) => c.status === 'fail' && c.tier === 'must')) {
    const make = GAP[check.id];
    prompts.push({
      prompt: make ? make(check.message) : `"${check.title}" failed: ${check.message}. Walk me through how your implementation handles this, and how you would fix it.`,
      source: check.id,
      kind: 'gap',
    });
  }
  for (const [area, question] of Object.entries(DEPTH)) {
    const must = checks.filter((c) => c.area === area && c.tier === 'must');
    if (must.length > 0 && must.every((c) => c.status === 'pass')) prompts.push({ prompt: question, source: `area:${area}`, kind: 'depth' });
  }
  if (repo && !repo.readme.hasTradeoffs) {
    prompts.push({ prompt: 'Your README does not discuss trade-offs. Which decision in this code are you least sure about, and what would make you change it?', source: 'signal:readme.tradeoffs', kind: 'gap' });
  }
  if (repo && repo.tests.status === 'none') {
    prompts.push({ prompt: 'There are no tests. If you had one more hour, which behaviour would you test first, and how?', source: 'signal:tests.present', kind: 'gap' });
  }
  return prompts;
}
