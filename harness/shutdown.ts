type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;
let stopping = false;

/** Whether an interrupt is ending the process: a grading it cut short must not be written as a report. */
export function isShuttingDown(): boolean {
  return stopping;
}

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  stopping = true;
  process.stderr.write(`\ngrader: ${signal} received, removing sandbox containers…\n`);
  const timer = setTimeout(() => process.exit(130), 15_000);
  await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  clearTimeout(timer);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/**
 * Called by the CLI only: a library caller (tests, a batch runner) owns its process's
 * signals, so the pipeline merely registers cleanups and never installs handlers itself.
 */
export function installShutdownHandlers(): void {
  if (installed) return;
  installed = true;
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

/**
 * Registers cleanup to run if the process is interrupted before the pipeline's own
 * `finally` gets to it. Returns the function that unregisters it.
 */
export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
