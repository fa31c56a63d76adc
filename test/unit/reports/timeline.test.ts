import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../../../core/report.ts';
import { timelineSvg } from '../../../reports/timeline.ts';

const fixture = reportSchema.parse(JSON.parse(readFileSync(new URL('../../fixtures/reports/reference-report.json', import.meta.url), 'utf8')));

describe('the timeline', () => {
  it('draws one lane per instance and one bar per check that ran in it', () => {
    const t0 = 1_700_000_000_000;
    const report = {
      ...fixture,
      resources: [
        { instance: 'rate_limit instance for rate_limit.boundary', checks: ['rate_limit.boundary'], peakMemoryMb: 40, samples: 3, launchedAt: t0, stoppedAt: t0 + 3000 },
        { instance: 'relaxed instance', checks: ['error_handling.validation'], peakMemoryMb: 40, samples: 3, launchedAt: t0 + 500, stoppedAt: t0 + 6000 },
      ],
      checks: fixture.checks.map((check, i) =>
        i === 0 ? { ...check, id: 'rate_limit.boundary', status: 'fail' as const, instance: 'rate_limit instance for rate_limit.boundary', startedAt: t0 + 1000, durationMs: 1500 } : { ...check, instance: undefined, startedAt: undefined },
      ),
    };
    const svg = timelineSvg(report);
    expect(svg.match(/<text x="0"/g)).toHaveLength(2);
    expect(svg).toContain('<title>rate_limit.boundary: fail, 1.50 s</title>');
    expect(svg).toContain('fill="#c62828"');
    expect(svg).toContain('6.0 s</text>');
  });

  it('is empty for a report without instance times (older reports)', () => {
    expect(timelineSvg({ ...fixture, resources: fixture.resources.map(({ launchedAt: _l, stoppedAt: _s, ...rest }) => rest) })).toBe('');
  });
});
