/**
 * Everything the simulator does later (status progressions, webhook retries, template reviews) goes through
 * here, so tests can wait until it has all happened (`whenIdle`) and reset/close can cancel it.
 */
export class TaskTracker {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly sleepers = new Map<NodeJS.Timeout, () => void>();
  private generation = 0;

  /** Runs `work` in the background; its failures are reported, never thrown at the caller. */
  run(work: () => Promise<void>): void {
    const promise = work().catch((error: unknown) => console.error("[meta-simulator] background task failed:", error));
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Resolves true after `ms`, or false as soon as the tracker is cancelled (the caller should stop). */
  sleep(ms: number): Promise<boolean> {
    const generation = this.generation;
    if (ms <= 0) return Promise.resolve(generation === this.generation);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleepers.delete(timer);
        resolve(generation === this.generation);
      }, ms);
      this.sleepers.set(timer, () => resolve(false));
    });
  }

  /** True while the generation a task started in is still current (not reset or closed since). */
  current(): () => boolean {
    const generation = this.generation;
    return () => generation === this.generation;
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  cancelAll(): void {
    this.generation++;
    for (const [timer, wake] of this.sleepers) {
      clearTimeout(timer);
      wake();
    }
    this.sleepers.clear();
  }
}
