import { z } from 'zod';
import type { TestCounts } from '../toolchain.ts';

const eventSchema = z.object({
  Action: z.string(),
  Package: z.string().optional(),
  Test: z.string().optional(),
  FailedBuild: z.string().optional(),
});

/**
 * Counts from `go test -json` events: each top-level test's final pass or fail (a subtest,
 * `TestX/case`, is part of its parent's verdict, not a test of its own). A package that
 * failed without any failing test (it did not compile, or TestMain or init panicked) counts
 * as one failure, so a broken suite never reads as all green. Null when no event is there.
 */
export function parseGoTestSummary(output: string): TestCounts | null {
  let passed = 0;
  let failed = 0;
  let seen = false;
  const packagesWithFailingTests = new Set<string>();
  const failedPackages = new Set<string>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    let event: z.infer<typeof eventSchema>;
    try {
      const parsed = eventSchema.safeParse(JSON.parse(line));
      if (!parsed.success) continue;
      event = parsed.data;
    } catch {
      continue;
    }
    seen = true;
    if (event.Action !== 'pass' && event.Action !== 'fail') continue;
    if (event.Test === undefined) {
      if (event.Action === 'fail' && event.Package !== undefined) failedPackages.add(event.Package);
      continue;
    }
    if (event.Test.includes('/')) continue;
    if (event.Action === 'pass') passed += 1;
    else {
      failed += 1;
      if (event.Package !== undefined) packagesWithFailingTests.add(event.Package);
    }
  }
  if (!seen) return null;
  for (const pkg of failedPackages) if (!packagesWithFailingTests.has(pkg)) failed += 1;
  return { runner: 'go test', passed, failed };
}
