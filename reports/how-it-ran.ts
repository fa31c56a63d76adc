import type { Report } from '../core/report.ts';

/**
 * What a reviewer must know before reading any verdict: which toolchain ran it, which
 * command started it and where that came from, and whether it was graded on another port
 * than $PORT. Plain text lines; each renderer escapes them its own way.
 */
export function howItRan(report: Report): string[] {
  const { toolchain, start, port } = report.environment;
  const lines: string[] = [];
  if (toolchain) lines.push(`Toolchain: ${toolchain.title} (${toolchain.because})`);
  if (start) lines.push(`Started with: ${start.command} (${start.from})`);
  if (port && port.actual !== port.expected) {
    lines.push(`Graded on port ${port.actual}: the server ignores $PORT (${port.expected}); startup.listens-on-port fails for it, every other check ran on ${port.actual}.`);
  }
  return lines;
}
