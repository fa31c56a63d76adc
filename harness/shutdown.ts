type Cleanup = () => Promise<void>;

const cleanups = new Set<Cleanup>();
let installed = false;

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  process.stderr.write(`\ngrader: ${signal} received, removing sandbox containers…\n`);
  const timer = setTimeout(() => process.exit(130), 15_000);
  await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
  clearTimeout(timer);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/**
 * Registers cleanup to run if the process is interrupted (SIGINT/SIGTERM) before the
 * pipeline's own `finally` gets to it. Returns the function that unregisters it.
 */
export function onShutdown(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    process.once('SIGINT', (signal) => void shutdown(signal));
    process.once('SIGTERM', (signal) => void shutdown(signal));
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
