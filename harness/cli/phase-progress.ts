import type { PhaseName } from '../../core/phases.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface PhaseProgress {
  onPhase: (phase: PhaseName) => void;
  /** Ends the live line (before the result is printed, or on an error). */
  stop: () => void;
}

/**
 * On an interactive terminal, one live line per phase with its elapsed time and a spinner,
 * left in place as each phase ends, so a 60 s grading is never silent; anywhere else (a
 * pipe, CI, `--json`) nothing at all, so the output is the result alone.
 */
export function phaseProgress(stream: NodeJS.WriteStream, enabled: boolean, paint: (style: 'dim' | 'green', text: string) => string): PhaseProgress {
  if (!enabled) return { onPhase: () => undefined, stop: () => undefined };
  let current: { phase: PhaseName; since: number } | null = null;
  let frame = 0;
  const began = performance.now();
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const draw = () => {
    if (!current) return;
    frame = (frame + 1) % FRAMES.length;
    stream.write(`\r\u001b[2K${FRAMES[frame]} ${current.phase.padEnd(8)} ${seconds(performance.now() - current.since)} ${paint('dim', `(total ${seconds(performance.now() - began)})`)}`);
  };
  const finish = () => {
    if (!current) return;
    stream.write(`\r\u001b[2K${paint('green', '✓')} ${current.phase.padEnd(8)} ${seconds(performance.now() - current.since)}\n`);
    current = null;
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    onPhase: (phase) => {
      finish();
      current = { phase, since: performance.now() };
      draw();
    },
    stop: () => {
      clearInterval(timer);
      if (current) stream.write('\r\u001b[2K');
      current = null;
    },
  };
}
