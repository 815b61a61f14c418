/**
 * Runs the tasks of one kind from a `TaskQueue` until none is left: up to `concurrency` holding a
 * host at a time, each host held by one task only while it talks to that host (`release`), the
 * rest of the task's work (extraction, storing) overlapping the next requests up to `backlog`.
 * Knows nothing about HTTP or reports: the handler does the work and records the outcome.
 */
import type { LeasedTask, TaskQueue } from "./queue.js";

export interface DrainOptions<D> {
  kind: string;
  /** Tasks holding a host at once (requests in flight). */
  concurrency: number;
  /** Tasks past their host phase still running before no more are leased. */
  backlog: number;
  /**
   * Does one task. `releaseHost` lets the next task for the same host be leased while this one
   * finishes; it is called for the handler if it returns without doing so. Must never throw for
   * bad input; a thrown error is a fault of ours, passed to `onFault`.
   */
  handle: (task: LeasedTask<D>, releaseHost: () => void) => Promise<void>;
  onFault: (task: LeasedTask<D>, err: unknown) => void;
  /** Checked before every lease: true stops leasing and ends once running tasks finish. */
  stop?: () => boolean;
  now?: () => number;
  /** Longest sleep while waiting for a not-before time (ms). */
  maxSleepMs?: number;
}

/** A wake-up signal: resolves the current wait when a task finishes or a deadline passes. */
class Wake {
  private resolve: (() => void) | null = null;
  wait(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(
        () => {
          this.resolve = null;
          r();
        },
        Math.max(0, ms),
      );
      this.resolve = () => {
        clearTimeout(t);
        this.resolve = null;
        r();
      };
    });
  }
  ring(): void {
    this.resolve?.();
  }
}

/** Returns whether it stopped early (`stop()`), with tasks still queued. */
export async function drain<D>(queue: TaskQueue<D>, opts: DrainOptions<D>): Promise<boolean> {
  const now = opts.now ?? Date.now;
  const maxSleep = opts.maxSleepMs ?? 5000;
  const busy = new Set<string>();
  const active = new Set<Promise<void>>();
  const wake = new Wake();
  let stopped = false;
  for (;;) {
    const stopping = opts.stop?.() === true;
    if (stopping) stopped = true;
    const holding = busy.size;
    const finishing = active.size - holding;
    const free = stopping || finishing >= opts.backlog ? 0 : opts.concurrency - holding;
    const leased = free > 0 ? queue.lease(opts.kind, free, busy) : [];
    for (const t of leased) {
      busy.add(t.hostKey);
      // Once per task: when this task ends, another one may already hold the host.
      let released = false;
      const releaseHost = (): void => {
        if (released) return;
        released = true;
        busy.delete(t.hostKey);
        wake.ring();
      };
      const p: Promise<void> = opts
        .handle(t, releaseHost)
        .catch((err: unknown) => opts.onFault(t, err))
        .finally(() => {
          releaseHost();
          active.delete(p);
          wake.ring();
        });
      active.add(p);
    }
    if (active.size === 0 && leased.length === 0) {
      if (stopping) break;
      const next = queue.nextEligible();
      if (next === null) break;
      await wake.wait(Math.min(maxSleep, next - now()));
      continue;
    }
    if (leased.length === 0 || busy.size >= opts.concurrency) {
      const next = queue.nextEligible();
      await wake.wait(next === null ? maxSleep : Math.min(maxSleep, Math.max(1, next - now())));
    }
  }
  return stopped;
}
