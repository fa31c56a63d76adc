import { describe, expect, it } from 'vitest';
import { phaseProgress } from '../../../../harness/cli/phase-progress.ts';
import { summaryTable } from '../../../../harness/cli/summary-table.ts';
import { painter, wantsColour } from '../../../../harness/cli/terminal-style.ts';
import { sampleReport } from '../../../support/sample-report.ts';

const ESC = '\u001b[';

describe('colour and progress on a terminal, plain text anywhere else', () => {
  it('colours a terminal unless NO_COLOR or --no-color says otherwise; never a pipe unless forced', () => {
    expect(wantsColour({ isTTY: true }, {}, {})).toBe(true);
    expect(wantsColour({ isTTY: true }, {}, { NO_COLOR: '' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { noColor: true }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, {}, { TERM: 'dumb' })).toBe(false);
    expect(wantsColour({ isTTY: false }, {}, {})).toBe(false);
    expect(wantsColour({ isTTY: false }, {}, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('the summary carries escape codes only when painted', () => {
    const report = sampleReport();
    expect(summaryTable(report)).not.toContain(ESC);
    const coloured = summaryTable(report, painter(true));
    expect(coloured).toContain(`${ESC}31mfail`);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(summaryTable(report));
  });

  it('draws a line per phase on a terminal, and writes nothing when disabled', () => {
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const live = phaseProgress(stream, true, (_style, text) => text);
    live.onPhase('install');
    live.onPhase('build');
    live.stop();
    const text = written.join('');
    expect(text).toMatch(/✓ install +\d+\.\d s\n/);
    expect(text).toMatch(/build +\d+\.\d s/);
    const quiet: string[] = [];
    const off = phaseProgress({ write: (t: string) => quiet.push(t) } as unknown as NodeJS.WriteStream, false, (_s, t) => t);
    off.onPhase('install');
    off.stop();
    expect(quiet).toEqual([]);
  });
});
