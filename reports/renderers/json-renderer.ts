import type { Renderer } from '../renderer.ts';

export const jsonRenderer: Renderer = {
  format: 'json',
  fileName: 'report.json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
