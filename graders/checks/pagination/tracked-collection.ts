/**
 * The items the checks on one instance have created, in creation order. Checks that need
 * some items but judge only against this record (not against "the store is empty") share
 * an instance: each tops the collection up to what it needs and reads the running total,
 * so the one before it cannot skew its verdict.
 */
export class TrackedCollection {
  readonly created: string[] = [];
  private next = 1;
  private lost: string | null = null;

  /** Item numbers never used on this instance, for create bodies that must be unique. */
  numbers(count: number): number[] {
    const taken = Array.from({ length: count }, (_, i) => this.next + i);
    this.next += count;
    return taken;
  }

  add(id: string): void {
    this.created.push(id);
  }

  /**
   * A check was cut off (its deadline) while it may have had creates in flight: the record
   * no longer matches the server, so later checks must not judge against it.
   */
  markLost(reason: string): void {
    this.lost ??= reason;
  }

  get lostBecause(): string | null {
    return this.lost;
  }
}

/** Thrown to a check that needs the collection after it was lost; the prober reports it as not run. */
export class CollectionLost extends Error {}
