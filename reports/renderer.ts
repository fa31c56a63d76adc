import type { Report } from '../core/report.ts';

/** One output format (Playwright-reporter style): a file name and a pure function of the report. */
export interface Renderer {
  format: string;
  fileName: string;
  render(report: Report): string;
}
