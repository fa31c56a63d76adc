export interface EngineSlots {
  name: string;
  slots: number;
  busy: number;
  /** False after a harness error until the engine answers a probe again. */
  healthy: boolean;
}

/**
 * Which engine a job runs on, or null to put it back for a moment. A job that met a
 * harness error on an engine goes to another one when one is healthy — waiting for it to
 * free a slot rather than going back to the engine that failed — and to the same engine
 * only when no other is healthy. Among the rest, the engine with the most free slots, so
 * load spreads; ties go to the first listed.
 */
export function pickEngine(engines: readonly EngineSlots[], failedOn: readonly string[]): string | null {
  const healthy = engines.filter((engine) => engine.healthy);
  const fresh = healthy.filter((engine) => !failedOn.includes(engine.name));
  const candidates = fresh.length > 0 ? fresh : healthy;
  let best: EngineSlots | null = null;
  for (const engine of candidates) {
    const free = engine.slots - engine.busy;
    if (free > 0 && (best === null || free > best.slots - best.busy)) best = engine;
  }
  return best?.name ?? null;
}

/** BullMQ's concurrency for the worker: every slot of the healthy engines (0: pause). */
export function workerConcurrency(engines: readonly EngineSlots[]): number {
  return engines.filter((engine) => engine.healthy).reduce((sum, engine) => sum + engine.slots, 0);
}
