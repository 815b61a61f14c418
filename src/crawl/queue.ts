/**
 * The work-queue contract the crawler is written against. The SQLite frontier (`frontier.ts`)
 * implements it for one machine; a PostgreSQL implementation (pg-boss: `send` with a
 * `singletonKey`, `startAfter` and `retryLimit`; `work` with a team size) can replace it to spread
 * the same crawl over several machines without touching discovery or extraction.
 *
 * Guarantees an implementation must give:
 * - `enqueue` is idempotent by `dedupeKey`: a key seen before, in any state, is never added again
 *   (so re-discovering a URL, or replaying a handler after a crash, adds nothing).
 * - A task is handed out by `lease` to one worker at a time, never before `notBefore`, and never
 *   while another task with the same `hostKey` is leased (one request at a time per host).
 * - A lease that is neither completed nor retried before it expires (the worker died) makes the
 *   task eligible again; a completed task is never handed out again.
 * - `complete` and the handler's own writes commit together, so a handler runs to completion at
 *   most once per task even when it is started more than once.
 */

export type TaskState = "pending" | "leased" | "done" | "failed" | "blocked";

export interface TaskSpec<D> {
  kind: string;
  /** Identity of the work: enqueueing a known key is a no-op. */
  dedupeKey: string;
  /** Politeness group; at most one leased task per key. */
  hostKey: string;
  /** Epoch ms before which the task is not handed out. */
  notBefore?: number;
  /** Attempts (leases) after which a failing task becomes `failed`. */
  maxAttempts?: number;
  /** Lower first. */
  priority?: number;
  data: D;
}

export interface LeasedTask<D> {
  id: number;
  kind: string;
  dedupeKey: string;
  hostKey: string;
  /** Including this one. */
  attempts: number;
  maxAttempts: number;
  data: D;
}

export interface TaskQueue<D> {
  /** Adds new tasks (known dedupe keys are skipped); returns how many were new. */
  enqueue(tasks: readonly TaskSpec<D>[]): number;
  /** Up to `limit` eligible tasks, at most one per host key, none of the hosts in `busyHosts`. */
  lease(kind: string, limit: number, busyHosts: ReadonlySet<string>): LeasedTask<D>[];
  /** Gives a leased task back untouched (not counted as an attempt), eligible again at `notBefore`. */
  release(id: number, notBefore: number): void;
  /**
   * Records a failed attempt: pending again at `notBefore`, or `failed` when attempts are used up
   * (then `outcome`, e.g. the error code, says why).
   */
  retry(id: number, notBefore: number, error: string, outcome?: string): TaskState;
  /** Earliest time any pending task becomes eligible, or null when nothing is pending. */
  nextEligible(): number | null;
  /** Tasks per state. */
  counts(): Record<TaskState, number>;
}
