import type { BatchEvent } from './run-batch.ts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

function line(event: BatchEvent): string {
  switch (event.kind) {
    case 'queued':
      return `${event.candidate}: pending`;
    case 'skipped':
      return `${event.candidate}: skipped (${event.reason})`;
    case 'phase':
      return `${event.candidate}: ${event.phase} (${seconds(event.elapsedMs)})`;
    case 'done':
      return `${event.candidate}: done ${event.score}${event.gradable ? '' : ' NOT GRADABLE'} (${seconds(event.elapsedMs)})`;
    case 'failed':
      return `${event.candidate}: failed (${seconds(event.elapsedMs)}): ${event.message}`;
  }
}

/**
 * On a terminal, one line per candidate redrawn in place; elsewhere (CI, files) one plain
 * line per event, so logs stay readable.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): (event: BatchEvent) => void {
  if (!stream.isTTY) return (event) => stream.write(`${line(event)}\n`);
  const order: string[] = [];
  const state = new Map<string, string>();
  let drawn = 0;
  return (event) => {
    if (!state.has(event.candidate)) order.push(event.candidate);
    state.set(event.candidate, line(event));
    if (drawn > 0) stream.write(`\u001b[${drawn}A`);
    for (const candidate of order) stream.write(`\u001b[2K${state.get(candidate) ?? ''}\n`);
    drawn = order.length;
  };
}
